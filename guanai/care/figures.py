"""Care's counts for the dashboards (registered in contributions.py)."""

from django.db.models import Count, Q

from guanai.accounts.scoping import Area, in_force_q, within
from guanai.care.due import overdue_q
from guanai.care.models import Activity, CareRecord, DueItem, DueStatus, Flag, Pairing
from guanai.registry.extensions import CountPeriod, Counts, add_rows, grouped


def care_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    """Duties due in the period (done, overdue on the day), pairings in force, records and
    problems raised in the period."""
    in_period = Q(due_date__gte=days.start, due_date__lte=days.end)
    # Only the rows counted (a year of a county's items is millions): the indexes serve both.
    due = within(
        area,
        DueItem.objects.exclude(status=DueStatus.CANCELLED).filter(
            in_period | overdue_q(days.as_of)
        ),
    )
    rows = grouped(due, length).annotate(
        due=Count("id", filter=in_period),
        due_done=Count("id", filter=in_period & Q(status=DueStatus.DONE)),
        overdue=Count("id", filter=overdue_q(days.as_of)),
    )
    add_rows(counts, rows, ["due", "due_done", "overdue"])

    pairings = within(area, Pairing.objects.filter(in_force_q(days.as_of)))
    rows = grouped(pairings, length, Pairing.scope_division_field).annotate(pairings=Count("id"))
    add_rows(counts, rows, ["pairings"])

    records = within(area, CareRecord.objects.filter(date__gte=days.start, date__lte=days.end))
    rows = grouped(records, length).annotate(
        records=Count("id"),
        visits=Count("id", filter=Q(activity=Activity.HOME_VISIT)),
        activities=Count("id", filter=Q(activity=Activity.LECTURE)),
    )
    add_rows(counts, rows, ["records", "visits", "activities"])
    flags = within(
        area,
        Flag.objects.filter(raised_at__date__gte=days.start, raised_at__date__lte=days.end),
    )
    add_rows(counts, grouped(flags, length).annotate(problems=Count("id")), ["problems"])
