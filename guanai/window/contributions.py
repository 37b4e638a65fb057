"""What the window adds to the registry (registry/extensions.py): the file's panel of the
child's applications and referrals with their state and clock, the dashboards' counts and
section, and the department's open referrals as due items."""

from django.urls import reverse
from django.utils import timezone

from guanai.registry import extensions
from guanai.window.figures import WINDOW, referral_counts
from guanai.window.permissions import can_use_window, desk_of
from guanai.window.selectors import child_window, work_list


def clock_words(referral, today) -> str:
    if not referral.is_open:
        return ""
    if referral.status == "more_docs":
        return "待补材料,暂停计时"
    days = (referral.due_on - today).days
    return f"剩 {days} 天" if days >= 0 else f"超时 {-days} 天"


def _panel(user, child) -> dict:
    found = child_window(user, child)
    today = timezone.localdate()
    return {
        "applications": found.applications,
        "referrals": [{"referral": r, "clock": clock_words(r, today)} for r in found.referrals],
        "can_apply": can_use_window(user),
    }


def _visible(user) -> bool:
    return can_use_window(user) or bool(desk_of(user))


def _due(user) -> list[extensions.DueEntry]:
    return [
        extensions.DueEntry(
            title=f"转办 {r.number}:{r.request[:40]}",
            detail=r.child.name,
            due_on=r.due_on,
            url=reverse("window:referral_detail", args=[r.pk]),
        )
        for r in work_list(user)[:50]
    ]


def register() -> None:
    extensions.file_panel_add(
        extensions.FilePanel(
            key="window",
            order=25,
            template="window/_child_window.html",
            context=_panel,
            visible=_visible,
        )
    )
    extensions.node_counts_add(extensions.NodeCounts(key="window", count=referral_counts))
    extensions.figure_section_add(WINDOW)
    extensions.due_source_add(extensions.DueSource(key="window", entries=_due))
