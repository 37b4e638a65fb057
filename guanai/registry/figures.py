"""The registry's counts for the dashboards (registered in apps.py; see extensions.py)."""

from django.db.models import Count, Exists, OuterRef, Q

from guanai.accounts.scoping import Area, within
from guanai.registry.choices import AgeBand
from guanai.registry.extensions import CountPeriod, Counts, add_rows, grouped
from guanai.registry.models import Child, Guardian
from guanai.registry.selectors import age_q


def file_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    """Files on record: children, with an ID number, by age band, with a guardian, complete."""
    active = within(area, Child.objects.filter(is_active=True))
    ages = {
        f"age:{band.value}": Count("id", filter=age_q(days.as_of, *band.years)) for band in AgeBand
    }
    rows = grouped(active, length).annotate(
        children=Count("id"), with_id=Count("id", filter=Q(id_number__isnull=False)), **ages
    )
    add_rows(counts, rows, ["children", "with_id", *ages])
    # A separate query: EXISTS in WHERE is a semi-join, inside FILTER it runs once per row.
    with_guardian = active.filter(Exists(Guardian.objects.filter(child=OuterRef("pk"))))
    rows = grouped(with_guardian, length).annotate(
        with_guardian=Count("id"), complete=Count("id", filter=Q(id_number__isnull=False))
    )
    add_rows(counts, rows, ["with_guardian", "complete"])
