"""What rehabilitation assistance adds to the registry: the file's panel of applications and
settlements and home teaching (diagnoses masked for roles that do not decide on them)."""

from calendar import monthrange

from django.urls import reverse
from django.utils import timezone

from guanai.disability import permissions
from guanai.disability.figures import REHAB, rehab_counts
from guanai.disability.selectors import (
    child_applications,
    child_teachings,
    teaching_compliance,
    teaching_list_for,
)
from guanai.registry import extensions


def _panel(user, child) -> dict:
    return {
        "applications": list(child_applications(user, child.pk)),
        "show_diagnosis": permissions.can_see_diagnosis(user),
        "can_apply": permissions.can_apply(user),
        "teachings": list(child_teachings(user, child.pk))
        if permissions.can_manage_teaching(user)
        else [],
        "can_teach": permissions.can_manage_teaching(user),
    }


def _teaching_due(user) -> list[extensions.DueEntry]:
    """Home teaching short of the rule, for whoever signed the agreement: due by month's end."""
    if not permissions.can_manage_teaching(user):
        return []
    today = timezone.localdate()
    month_end = today.replace(day=monthrange(today.year, today.month)[1])
    in_force = teaching_list_for(user).filter(
        created_by=user, start_date__lte=today, end_date__gte=today, ended_on__isnull=True
    )
    entries = []
    for teaching in in_force.order_by("end_date")[:20]:
        result = teaching_compliance(user, teaching, today)
        if result.shortfalls:
            entries.append(
                extensions.DueEntry(
                    title=f"送教上门:{teaching.child.name} 未达标",
                    detail=result.shortfalls[0],
                    due_on=month_end,
                    url=reverse("disability:teaching_detail", args=[teaching.pk]),
                )
            )
    return entries


def register() -> None:
    extensions.file_panel_add(
        extensions.FilePanel(
            key="disability",
            order=35,
            template="disability/_child_rehab.html",
            context=_panel,
        )
    )
    extensions.node_counts_add(extensions.NodeCounts(key="disability", count=rehab_counts))
    extensions.figure_section_add(REHAB)
    extensions.due_source_add(extensions.DueSource(key="disability", entries=_teaching_due))
