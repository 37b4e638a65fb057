"""Test helpers of the registry's own rows that other apps' tests build (the jurisdiction probe)."""

from guanai.registry.choices import FactGroup
from guanai.registry.models import Child, FactReview, Revision


def fact_review_build(child: Child) -> FactReview:
    """A village's change to the parents' status waiting for the township."""
    number = (child.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = Revision.objects.create(
        child=child,
        number=number,
        actor_name="儿童主任",
        summary="修改档案",
        changes={"father.status": ["在家", "外出务工"]},
    )
    return FactReview.objects.create(
        child=child,
        division_code=child.division_code,
        revision=revision,
        groups=[FactGroup.PARENTS.value],
        changes=revision.changes,
    )
