"""What the rules add to the registry (see registry/extensions.py): the file's categories and
benefits panel, the evaluation after every save, the category filter of the children list, and
the counts and sections of categories and benefits on the dashboards and in the reports."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from guanai.registry import extensions
from guanai.rules.choices import Category
from guanai.rules.figures import BENEFITS, CHILDREN, finding_counts
from guanai.rules.selectors import child_panel_for, current_findings
from guanai.rules.services import child_evaluate, id_range_evaluate


def _category_condition(value: str) -> Q:
    return Q(Exists(current_findings(value).filter(child=OuterRef("pk"))))


def _pdf_context(user, child) -> dict:
    return {"rules": child_panel_for(user, child, timezone.localdate())}


def register() -> None:
    extensions.file_panel_add(
        extensions.FilePanel(key="rules", order=10, template="rules/_child_findings.html")
    )
    # The PDF's section: the page builds its own through a template tag, so this is apart.
    extensions.file_panel_add(
        extensions.FilePanel(
            key="rules_pdf",
            order=10,
            pdf_template="rules/_child_pdf_findings.html",
            context=_pdf_context,
        )
    )
    extensions.files_changed_add(
        extensions.FilesChanged(key="rules", order=10, one=child_evaluate, many=id_range_evaluate)
    )
    extensions.child_list_filter_add(
        extensions.ChildListFilter(
            key="category",
            label="儿童类别",
            choices=lambda: list(Category.choices),
            condition=_category_condition,
        )
    )
    extensions.node_counts_add(extensions.NodeCounts(key="rules", count=finding_counts))
    extensions.figure_section_add(CHILDREN)
    extensions.figure_section_add(BENEFITS)
