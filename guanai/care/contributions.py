"""What care adds to the registry (see registry/extensions.py): the file's pairings and care
panel, on the page and in the PDF, and the counts, section and trend of care work on the
dashboards and in the reports."""

from guanai.care.figures import CARE, RECORDS, care_counts
from guanai.care.selectors import pairings_for
from guanai.care.services import pairings_end_with_file
from guanai.registry import extensions


def _pdf_context(user, child) -> dict:
    # Past pairings too (the file's history); a carer sees only their own.
    return {"pairings": pairings_for(user).filter(child=child).select_related("carer")}


def register() -> None:
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
