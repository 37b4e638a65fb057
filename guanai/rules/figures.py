"""The rules' counts for the dashboards (registered in contributions.py)."""

from django.db.models import Count, Exists, OuterRef, Q

from guanai.accounts.scoping import Area, within
from guanai.registry.extensions import CountPeriod, Counts, add_rows, grouped
from guanai.rules.choices import FindingKind
from guanai.rules.models import BenefitReceipt, ChildFinding


def current_categories(area: Area):
    """The current category findings of the area's children on record."""
    return within(
        area,
        ChildFinding.objects.filter(
            kind=FindingKind.CATEGORY, is_current=True, child__is_active=True
        ),
    )


def finding_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    """Children per category (cat:<code>); benefits owed and received on the day."""
    categories = grouped(current_categories(area), length)
    for row in categories.values("key", "code").annotate(n=Count("id")):
        counts[row["key"]][f"cat:{row['code']}"] += row["n"]
    receiving = BenefitReceipt.objects.filter(
        Q(start_on__lte=days.as_of) & (Q(end_on__isnull=True) | Q(end_on__gte=days.as_of)),
        child_id=OuterRef("child_id"),
        benefit=OuterRef("code"),
    )
    eligible = within(
        area,
        ChildFinding.objects.filter(
            kind=FindingKind.BENEFIT, is_current=True, child__is_active=True
        ),
    )
    rows = grouped(eligible, length).annotate(
        eligible=Count("id"), receiving=Count("id", filter=Q(Exists(receiving)))
    )
    add_rows(counts, rows, ["eligible", "receiving"])
