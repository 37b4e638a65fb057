"""The rules' panel on the child's page: `{% child_rules_panel %}` reads `child` and the user
from the page's context, so the registry's template only includes rules/_child_findings.html."""

from django import template
from django.utils import timezone

from guanai.rules.choices import CATEGORY_BADGE
from guanai.rules.selectors import child_panel_for

register = template.Library()


@register.inclusion_tag("rules/_panel.html", takes_context=True)
def child_rules_panel(context):
    child = context["child"]
    return {
        "child": child,
        "panel": child_panel_for(context["request"].user, child, timezone.localdate()),
    }


@register.filter
def category_badge(code: str) -> str:
    return f"badge-{CATEGORY_BADGE.get(code, 'grey')}"
