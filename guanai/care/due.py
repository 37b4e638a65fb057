"""Due items from duty templates: materialised in SQL, idempotently, and matched to records.

For each template and each period of a window (schedules.periods), one INSERT ... SELECT adds
a row for every pairing that owes the period (schedules.owed_period: in force mid-period,
clipped to the pairing). Running it twice adds nothing (unique pairing, template, period start).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from guanai.accounts.scoping import in_force_q, unscoped, unscoped_area, within
from guanai.care.categories import left_behind
from guanai.care.models import (
    CareRecord,
    Condition,
    DueItem,
    DueStatus,
    DutyTemplate,
    Frequency,
    Pairing,
    Term,
)
from guanai.care.schedules import Period, TermDates, owed_period, periods
from guanai.geo.models import Division, Level
from guanai.registry.models import Child

TERM_FREQUENCIES = {Frequency.TERM, Frequency.TERM_THIRDS}
INSERT_COLUMNS = [
    "child_id",
    "carer_id",
    "pairing_id",
    "template_id",
    "activity",
    "division_code",
    "period_start",
    "period_end",
    "due_date",
    "status",
]


def county_terms(county_code: str) -> list[TermDates]:
    return [
        TermDates(t.start, t.end)
        for t in Term.objects.filter(division__code=county_code).order_by("start")
    ]


def _owing(template: DutyTemplate, period: Period, prefix: str, on: date) -> QuerySet[Pairing]:
    """Pairings that owe `period` of `template` (the SQL form of schedules.owed_period)."""
    mid = period.midpoint
    owed = unscoped_area(prefix, purpose="due items")
    base = within(owed, Pairing.objects.filter(in_force_q(mid), child__is_active=True))
    if template.condition == Condition.LEFT_BEHIND:
        base = base.filter(left_behind("child_id", on))
    kinds = list(template.carer_kinds)
    if not template.one_per_child:
        return base.filter(kind__in=kinds)
    # One per child: the first kind in the template's order, then the oldest pairing.
    first = Q(pk__in=[])
    for rank, kind in enumerate(kinds):
        before = Pairing.objects.filter(in_force_q(mid), child_id=OuterRef("child_id")).filter(
            Q(kind__in=kinds[:rank]) | Q(kind=kind, id__lt=OuterRef("id"))
        )
        first |= Q(~Exists(before), kind=kind)
    return base.filter(first)


def _insert(owing: QuerySet[Pairing], template: DutyTemplate, period: Period) -> int:
    date_field: DateField = DateField()
    start, end = Value(period.start, date_field), Value(period.end, date_field)
    clipped_end = Least(end, Coalesce("end_date", end))
    rows = owing.order_by().values_list(
        "child_id",
        "carer_id",
        "id",
        Value(template.pk),
        Value(template.activity),
        "child__division_code",
        Greatest(start, "start_date"),
        clipped_end,
        clipped_end,
        Value(DueStatus.OPEN),
    )
    sql, params = rows.query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(c) for c in INSERT_COLUMNS)
    table = connection.ops.quote_name(DueItem._meta.db_table)
    statement = f"INSERT INTO {table} ({columns}) SELECT * FROM ({sql}) AS owed WHERE 1 = 1 ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


@dataclass
class Materialised:
    inserted: int = 0
    fulfilled: int = 0
    cancelled: int = 0


def _template_periods(
    templates: Iterable[DutyTemplate], start: date, end: date, prefix: str
) -> Iterable[tuple[DutyTemplate, Period, str]]:
    counties = None
    for template in templates:
        if template.frequency not in TERM_FREQUENCIES:
            for period in periods(template.frequency, start=start, end=end):
                yield template, period, prefix
            continue
        if counties is None:
            counties = list(
                Division.objects.filter(level=Level.COUNTY, terms__isnull=False)
                .filter(Q(code__startswith=prefix[:6]) if prefix else Q())
                .values_list("code", flat=True)
                .distinct()
            )
        for county in counties:
            terms = county_terms(county)
            narrower = prefix if len(prefix) > len(county) else county
            for period in periods(template.frequency, start=start, end=end, terms=terms):
                yield template, period, narrower


def due_items_materialise(*, start: date, end: date, prefix: str = "") -> Materialised:
    """Add the due items owed for every period overlapping [start, end] (idempotent), match
    them to records already made, and cancel open items of children whose file was closed."""
    on = timezone.localdate()
    result = Materialised()
    templates = DutyTemplate.objects.filter(active=True, per_child=True)
    with transaction.atomic():
        for template, period, area in _template_periods(templates, start, end, prefix):
            result.inserted += _insert(_owing(template, period, area, on), template, period)
        result.fulfilled = due_items_match(start=start, end=end, prefix=prefix)
        result.cancelled = due_items_cancel_closed(prefix=prefix)
    return result


def _matching_records() -> QuerySet[CareRecord]:
    return CareRecord.objects.filter(
        child_id=OuterRef("child_id"),
        carer_id=OuterRef("carer_id"),
        activity=OuterRef("activity"),
        date__gte=OuterRef("period_start"),
        date__lte=OuterRef("period_end"),
    ).order_by("date", "id")


def due_items_match(*, start: date, end: date, prefix: str = "") -> int:
    """Mark open items done where a record of the same child, carer and activity falls in the
    item's period (records entered before their item existed)."""
    records = _matching_records()
    items = within(
        unscoped_area(prefix, purpose="due items"),
        DueItem.objects.filter(status=DueStatus.OPEN, period_end__gte=start, period_start__lte=end),
    ).filter(Exists(records))
    return items.update(
        status=DueStatus.DONE,
        fulfilled_by_id=Subquery(records.values("id")[:1]),
        done_on=Subquery(records.values("date")[:1]),
    )


def due_items_fulfil(record: CareRecord) -> int:
    """The open items this record fulfils (same child, carer, activity; date in the period)."""
    items = unscoped(
        DueItem.objects.filter(
            child_id=record.child_id,
            carer_id=record.carer_id,
            activity=record.activity,
            status=DueStatus.OPEN,
            period_start__lte=record.date,
            period_end__gte=record.date,
        ),
        purpose="due items",
    )
    return items.update(status=DueStatus.DONE, fulfilled_by=record, done_on=record.date)


def due_items_cancel_closed(*, prefix: str = "") -> int:
    """Open items of children whose file was closed, due on or after the closing day."""
    closed = Child.objects.filter(
        pk=OuterRef("child_id"), is_active=False, inactive_on__lte=OuterRef("due_date")
    )
    owed = unscoped_area(prefix, purpose="due items")
    items = within(owed, DueItem.objects.filter(status=DueStatus.OPEN).filter(Exists(closed)))
    return items.update(status=DueStatus.CANCELLED)


def due_items_reclip(pairing: Pairing) -> int:
    """After a pairing's end date changed: cancel or shorten its open items past the end."""
    if pairing.end_date is None:
        return 0
    changed = 0
    terms = None
    items = unscoped(
        DueItem.objects.filter(pairing=pairing, status=DueStatus.OPEN),
        purpose="due items",
    )
    items = items.filter(due_date__gt=pairing.end_date).select_related("template")
    for item in items:
        frequency = item.template.frequency
        if frequency in TERM_FREQUENCIES and terms is None:
            terms = county_terms(item.division_code[:6])
        full = next(
            p
            for p in periods(
                frequency, start=item.period_start, end=item.period_start, terms=terms or ()
            )
            if p.contains(item.period_start)
        )
        owed = owed_period(full, pairing.start_date, pairing.end_date)
        if owed is None:
            item.status = DueStatus.CANCELLED
        else:
            item.period_end = item.due_date = owed.end
        item.save(update_fields=["status", "period_end", "due_date"])
        changed += 1
    return changed


def overdue_q(today: date) -> Q:
    return Q(status=DueStatus.OPEN, due_date__lt=today)
