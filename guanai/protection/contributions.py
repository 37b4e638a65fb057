"""What protection adds to the registry (see registry/extensions.py): the file's case panel
(that a case exists and whom to contact; more for those who work on it), and the cases as
facts of the rules' categories."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from guanai.protection.choices import CaseStatus
from guanai.protection.clocks import time_left
from guanai.protection.facts import case_events, case_events_between
from guanai.protection.figures import PROTECTION, case_counts
from guanai.protection.permissions import can_report
from guanai.protection.selectors import (
    case_notices_for_child,
    children_with_cases,
    my_tasks,
    steps_for,
)
from guanai.registry import extensions


def _panel(user, child) -> dict:
    now = timezone.now()
    views = case_notices_for_child(user, child)
    return {
        "cases": [
            {
                "view": v,
                "clock": time_left(v.case.respond_by, now) if v.full else "",
                "steps": steps_for(v),  # empty without full access; the PDF lists them
            }
            for v in views
        ],
        "can_report": can_report(user),
    }


def _summary(user, child) -> list[extensions.SummaryLine]:
    """The child's open cases on the file's summary card, as much of each as the viewer may
    read (protection's own rule, `access_to`): the kind, the grade, the response clock and who
    handles it for those who work on it; that a case is open and whom to contact for the rest.
    A viewer who may read no case of the child gets no line, whether a case exists or not."""
    now = timezone.now()
    lines = []
    for view in case_notices_for_child(user, child):
        case = view.case
        if case.status != CaseStatus.OPEN:
            continue
        contact = gettext("联系:%(who)s") % {
            "who": case.assignee.display_name if case.assignee else gettext("乡镇儿童督导员")
        }
        url = reverse("protection:case_detail", args=[case.pk])
        if not view.full:
            lines.append(
                extensions.SummaryLine(
                    gettext("保护个案"),
                    gettext("该儿童有在办的保护个案"),
                    notes=(contact,),
                    url=url,
                )
            )
            continue
        overdue = case.responded_at is None and case.respond_by < now
        clock = gettext("已响应") if case.responded_at else time_left(case.respond_by, now)
        lines.append(
            extensions.SummaryLine(
                gettext("保护个案"),
                f"{case.number} {case.get_kind_display()}",
                badges=(
                    extensions.Badge(
                        case.get_grade_display(), case.grade
                    ),  # badge-red … badge-blue
                    extensions.Badge(
                        clock, "red" if overdue else "green" if case.responded_at else "yellow"
                    ),
                ),
                notes=(contact,),
                url=url,
                alert=overdue,
            )
        )
    return lines


def _due(user) -> list[extensions.DueEntry]:
    return [
        extensions.DueEntry(
            title=f"保护个案 {task.case.number}:{task.title}",
            detail=task.case.child.name,
            due_on=task.due_on,
            url=reverse("protection:case_detail", args=[task.case_id]),
        )
        for task in my_tasks(user)[:50]
    ]


# The children list's filter: only that a child has a case open (the grade stays in the case).
CASE_CHOICES = [("open", "有在办保护个案"), ("any", "有保护个案(含已结案)")]


def _case_condition(value: str) -> Q:
    if value not in {"open", "any"}:
        return Q(pk__in=[])
    return Q(pk__in=children_with_cases(CaseStatus.OPEN if value == "open" else None))


def register() -> None:
    extensions.file_panel_add(
        extensions.FilePanel(
            key="protection",
            order=15,  # after the categories (10), before the pairings (20)
            template="protection/_child_cases.html",
            pdf_template="protection/_child_pdf_cases.html",
            context=_panel,
            visible=can_report,
        )
    )
    extensions.summary_item_add(
        extensions.SummaryItem(key="protection", order=15, lines=_summary, visible=can_report)
    )
    extensions.node_counts_add(extensions.NodeCounts(key="protection", count=case_counts))
    extensions.figure_section_add(PROTECTION)
    extensions.due_source_add(extensions.DueSource(key="protection", entries=_due))
    extensions.child_list_filter_add(
        extensions.ChildListFilter(
            key="case",
            label="保护个案",
            choices=lambda: CASE_CHOICES,
            condition=_case_condition,
        )
    )
    extensions.child_event_source_add(
        extensions.ChildEventSource(key="protection", one=case_events, many=case_events_between)
    )
