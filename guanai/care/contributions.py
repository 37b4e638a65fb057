"""What care adds to the registry (see registry/extensions.py): the file's pairings and care
panel, on the page and in the PDF, and the counts, section and trend of care work on the
dashboards and in the reports."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from guanai.care.figures import CARE, RECORDS, care_counts
from guanai.care.selectors import child_care_summary_for, pairings_for
from guanai.care.services import pairings_end_with_file
from guanai.registry import extensions


def _pdf_context(user, child) -> dict:
    # Past pairings too (the file's history); a carer sees only their own.
    return {"pairings": pairings_for(user).filter(child=child).select_related("carer")}


def _summary(user, child) -> list[extensions.SummaryLine]:
    """The carer, the next due duty and the open flags, on the file's summary card."""
    today = timezone.localdate()
    care = child_care_summary_for(user, child, today)
    lines = [
        extensions.SummaryLine(
            gettext("结对人"), "、".join(care.carers) or gettext("尚未结对"), url="#care"
        )
    ]
    due = care.next_due
    if due is not None:
        late = due.due_date < today
        lines.append(
            extensions.SummaryLine(
                gettext("下一项关爱任务"),
                (gettext("%(duty)s,%(due)s 前,已逾期") if late else gettext("%(duty)s,%(due)s 前"))
                % {"duty": due.template.name, "due": f"{due.due_date:%Y-%m-%d}"},
                url="#care",
                alert=late,
            )
        )
    if care.open_flags:
        lines.append(
            extensions.SummaryLine(
                gettext("待处理的问题上报"),
                gettext("%(count)s 项") % {"count": care.open_flags},
                url=reverse("care:flag_list"),
                alert=True,
            )
        )
    return lines


def register() -> None:
    extensions.summary_item_add(extensions.SummaryItem(key="care", order=20, lines=_summary))
    extensions.file_panel_add(
        extensions.FilePanel(
            key="care",
            order=20,
            template="care/_child_care.html",
            pdf_template="care/_child_pdf_care.html",
            context=_pdf_context,
        )
    )
    extensions.files_changed_add(
        extensions.FilesChanged(
            key="care",
            order=20,  # after the rules' evaluation (10)
            one=pairings_end_with_file,
            many=lambda first_id, last_id: None,  # files opened at once are open
        )
    )
    extensions.node_counts_add(extensions.NodeCounts(key="care", count=care_counts))
    extensions.figure_section_add(CARE)
    extensions.monthly_counts_add(RECORDS)
