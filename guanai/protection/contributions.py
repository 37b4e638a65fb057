"""What protection adds to the registry (see registry/extensions.py): the file's case panel
(that a case exists and whom to contact; more for those who work on it)."""

from django.utils import timezone

from guanai.protection.clocks import time_left
from guanai.protection.permissions import can_report
from guanai.protection.selectors import case_notices_for_child
from guanai.registry import extensions


def _panel(user, child) -> dict:
    now = timezone.now()
    views = case_notices_for_child(user, child)
    return {
        "cases": [
            {"view": v, "clock": time_left(v.case.respond_by, now) if v.full else ""} for v in views
        ],
        "can_report": can_report(user),
    }


def register() -> None:
    extensions.file_panel_add(
        extensions.FilePanel(
            key="protection",
            order=15,  # after the categories (10), before the pairings (20)
            template="protection/_child_cases.html",
            context=_panel,
            visible=can_report,
        )
    )
