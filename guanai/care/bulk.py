"""Synthetic care work for a seeded county, in bulk (benchmarks and demos; never real data).

`care_bulk` pairs a share of the county's children with generated carers (one to three children
each, so that some are over the limit), sets the usual terms, materialises a year of due items
with the real service, and marks a share of them done with a care record each, in SQL.
Deterministic for a given seed. Use it on a freshly seeded county only.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import unscoped_area, within
from guanai.care.due import due_items_materialise
from guanai.care.models import CareRecord, CarerKind, DueItem, DueStatus, Pairing
from guanai.care.services import terms_set_standard
from guanai.core.errors import DomainError
from guanai.geo.models import Division, Level
from guanai.registry.models import Child

BATCH = 5000
# kind of pairing, by share of paired children
KINDS = [CarerKind.CARING_MOTHER] * 4 + [CarerKind.PROXY_PARENT, CarerKind.COUNSELLOR]
LOAD = [1, 2, 2, 2, 2, 2, 2, 2, 2, 3]  # children per carer; 3 is over the default limit


@dataclass
class BulkResult:
    carers: int = 0
    pairings: int = 0
    due_items: int = 0
    records: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _timed(result: BulkResult, name: str, started: float) -> None:
    result.seconds[name] = round(time.perf_counter() - started, 1)


def _carers_and_pairings(county: Division, year: int, seed: int, paired: float) -> BulkResult:
    rng = random.Random(seed)
    result = BulkResult()
    seeded = unscoped_area(county.prefix, purpose="seed")
    children = within(seeded, Child.objects.filter(is_active=True))
    by_village: dict[int, list[int]] = {}
    for child_id, village_id in children.order_by("id").values_list("id", "division_id"):
        if rng.random() < paired:
            by_village.setdefault(village_id, []).append(child_id)
    first_start = date(year - 1, 3, 1)
    number = 0
    users: list[User] = []
    plan: list[tuple[int, list[int], str]] = []  # user index, children, kind
    for village_id, ids in by_village.items():
        while ids:
            take = rng.choice(LOAD)
            group, ids = ids[:take], ids[take:]
            number += 1
            users.append(
                User(
                    username=f"bench-{county.code}-{number}",
                    password="!",
                    role=Role.CARER,
                    division_id=village_id,
                    full_name=f"结对人{number}",
                )
            )
            plan.append((len(users) - 1, group, rng.choice(KINDS)))
    for i in range(0, len(users), BATCH):
        User.objects.bulk_create(users[i : i + BATCH])
    pairings = [
        Pairing(
            child_id=child_id,
            carer_id=users[index].pk,
            kind=kind,
            start_date=first_start + timedelta(days=rng.randrange(500)),
            end_date=date(year, 6, 30) if rng.random() < 0.02 else None,
        )
        for index, group, kind in plan
        for child_id in group
    ]
    for i in range(0, len(pairings), BATCH):
        Pairing.objects.bulk_create(pairings[i : i + BATCH])
    result.carers, result.pairings = len(users), len(pairings)
    return result


def _record_day_sql(today: date) -> tuple[str, list]:
    """A day inside the item's period and not after `today`, picked from the item id."""
    if connection.vendor == "postgresql":
        span = "(LEAST(period_end, %s::date) - period_start + 1)"
        return f"period_start + ((id * 7919) %% {span})::int", [today]
    span = "(CAST(julianday(MIN(period_end, %s)) - julianday(period_start) AS INTEGER) + 1)"
    return f"date(period_start, '+' || ((id * 7919) %% {span}) || ' days')", [today]


def _records(county: Division, year: int, completion: float, today: date) -> int:
    """Mark a share of the year's items done, each with a record whose id is the item's id."""
    day_sql, day_params = _record_day_sql(today)
    seeded = unscoped_area(county.prefix, purpose="seed")
    items = within(seeded, DueItem.objects.filter(due_date__gte=date(year, 1, 1)))
    items = items.filter(period_start__lte=today)
    where, where_params = (
        items.values("id").query.get_compiler(connection=connection).compile(items.query.where)
    )
    table = DueItem._meta.db_table
    percent = int(completion * 100)
    chosen = f"{where} AND ((id * 2654435761) %% 100) < %s"
    text = ["place", "present", "study", "daily_life", "friends", "health"]
    text += ["problems", "help_given", "follow_up"]
    columns = ["id", "child_id", "carer_id", "pairing_id", "division_code", "activity"]
    columns += ["date", "mood", "follow_up_needed", "severity", "created_at", *text]
    # Records first (ids = item ids), then the items point at them: the foreign key is checked
    # from the item's side, by primary key.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CareRecord._meta.db_table} ({', '.join(columns)}) "
            f"SELECT id, child_id, carer_id, pairing_id, division_code, activity, {day_sql}, "
            f"%s, %s, %s, %s{', %s' * len(text)} FROM {table} WHERE {chosen}",
            [*day_params, "情绪稳定", False, "none", timezone.now(), *[""] * len(text)]
            + [*where_params, percent],
        )
        made = cursor.rowcount
        cursor.execute(
            f"UPDATE {table} SET status = %s, fulfilled_by_id = id, done_on = {day_sql} "
            f"WHERE {chosen}",
            [DueStatus.DONE, *day_params, *where_params, percent],
        )
        for sql in connection.ops.sequence_reset_sql(no_style(), [CareRecord]):
            cursor.execute(sql)
    return made


def care_bulk(
    *,
    county_code: str,
    year: int,
    seed: int = 1,
    paired: float = 0.6,
    completion: float = 0.75,
    today: date | None = None,
) -> BulkResult:
    today = today or timezone.localdate()
    county = Division.objects.get(code=county_code, level=Level.COUNTY)
    if within(unscoped_area(county.prefix, purpose="seed"), Pairing.objects.all()).exists():
        raise DomainError(_("该县已有结对数据,批量生成只用于新生成的合成数据"))
    for y in (year - 1, year, year + 1):
        terms_set_standard(actor=None, county=county, year=y)
    started = time.perf_counter()
    result = _carers_and_pairings(county, year, seed, paired)
    _timed(result, "carers_and_pairings", started)
    if connection.vendor == "postgresql":
        # Tables that were empty a moment ago: without statistics the planner joins the new
        # pairings to the children row by row (16 s a duty template on a fresh database).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE care_pairing, registry_child, accounts_user")
    started = time.perf_counter()
    result.due_items = due_items_materialise(
        start=date(year, 1, 1), end=date(year, 12, 31), prefix=county.code
    ).inserted
    _timed(result, "materialise", started)
    started = time.perf_counter()
    result.records = _records(county, year, completion, today)
    _timed(result, "records", started)
    return result
