from django import template
from django.utils import timezone

from guanai.care.selectors import child_care_for

register = template.Library()


@register.simple_tag(takes_context=True)
def child_care(context, child):
    """The care part of a child's file, read for the requesting user (scoped)."""
    return child_care_for(context["request"].user, child, timezone.localdate())


@register.simple_tag
def widthstep(value) -> int:
    """A percentage rounded to the 5% steps of care.css (.pct-0 … .pct-100): no inline styles."""
    return max(0, min(100, 5 * round(int(value or 0) / 5)))
