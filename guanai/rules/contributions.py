"""What the rules add to the registry (see registry/extensions.py): the file's categories and
benefits panel, the evaluation after every save, the category filter of the children list, and
the counts and sections of categories and benefits on the dashboards and in the reports."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from guanai.registry import extensions
from guanai.rules.choices import CATEGORY_BADGE, Category
from guanai.rules.figures import BENEFITS, CHILDREN, finding_counts
from guanai.rules.selectors import categories_of, child_panel_for, current_findings
from guanai.rules.services import child_evaluate, files_saved_evaluate, id_range_evaluate


def _category_condition(value: str) -> Q:
    return Q(Exists(current_findings(value).filter(child=OuterRef("pk"))))


def _pdf_context(user, child) -> dict:
    return {"rules": child_panel_for(user, child, timezone.localdate())}


def _badge(finding) -> extensions.Badge:
    return extensions.Badge(finding.label, CATEGORY_BADGE.get(finding.code, "grey"))


def _summary(user, child) -> list[extensions.SummaryLine]:
    """The categories with their reasons, and the benefits owed and received (for the roles
    that see them), on the file's summary card."""
    panel = child_panel_for(user, child, timezone.localdate())
    lines = [
        extensions.SummaryLine(
            gettext("儿童类别"),
            "" if panel.categories else gettext("不属于留守、流动、困境、孤儿或事实无人抚养儿童"),
            badges=tuple(_badge(f) for f in panel.categories),
            notes=tuple(
                gettext("%(category)s:%(reason)s") % {"category": f.label, "reason": f.reason}
                for f in panel.categories
            )
            if panel.show_reasons
            else (),
            url="#findings",
        )
    ]
    if panel.show_benefits:
        owed = [f for f, _ in panel.benefits]
        missing = [f for f, receiving in panel.benefits if not receiving]
        lines.append(
            extensions.SummaryLine(
                gettext("保障待遇"),
                gettext("应享 %(owed)s 项,已享受 %(received)s 项")
                % {"owed": len(owed), "received": len(owed) - len(missing)}
                if owed
                else gettext("暂无应享的保障待遇"),
                badges=tuple(
                    extensions.Badge(
                        gettext("应保未保:%(benefit)s") % {"benefit": f.label}, "red", f.reason
                    )
                    for f in missing
                )
                + tuple(
                    extensions.Badge(
                        gettext("不再符合:%(benefit)s") % {"benefit": r.get_benefit_display()},
                        "orange",
                    )
                    for r in panel.unentitled
                ),
                url="#benefits",
                alert=bool(missing or panel.unentitled),
            )
        )
    return lines


def _list_badges(user, child_ids: list[int]) -> dict[int, list[extensions.Badge]]:
    return {
        child_id: [_badge(f) for f in findings]
        for child_id, findings in categories_of(user, child_ids).items()
    }


def register() -> None:
    extensions.summary_item_add(extensions.SummaryItem(key="rules", order=10, lines=_summary))
    extensions.list_badges_add(extensions.ListBadges(key="rules", order=10, badges=_list_badges))
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
        extensions.FilesChanged(
            key="rules",
            order=10,
            one=child_evaluate,
            many=id_range_evaluate,
            some=files_saved_evaluate,
        )
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
