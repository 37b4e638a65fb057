"""Which children count as left-behind (留守儿童) for the care duties.

The rules app decides categories (guanai/rules: ChildFinding, evaluated on save and in batch,
with the reasons); care only reads its current finding. One function, so that a care template
with another condition (e.g. children in difficulty) adds one line here.
"""

from datetime import date

from django.db.models import Exists, OuterRef

from guanai.rules.choices import Category, FindingKind
from guanai.rules.models import ChildFinding


def in_category(code: str, child_ref: str = "pk") -> Exists:
    """A condition on a queryset whose `child_ref` is a child id: the child is in the category."""
    return Exists(
        ChildFinding.objects.filter(
            child_id=OuterRef(child_ref),
            kind=FindingKind.CATEGORY,
            code=code,
            is_current=True,
        )
    )


def left_behind(child_ref: str = "pk", on: date | None = None) -> Exists:
    """`on` is accepted for symmetry with dated rules; the finding is current as evaluated."""
    return in_category(Category.LEFT_BEHIND, child_ref)
