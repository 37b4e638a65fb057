"""Write a synthetic county (guanai.synth.generator) to the database, fast.

Primary keys are assigned here from max(id) + 1, so households, parents, children and
guardians are written without a round trip per row: ``executemany`` on SQLite (with
``synchronous=OFF`` for the run), ``COPY`` on PostgreSQL. One transaction per chunk of about
20,000 children; the sequences are moved past the new ids at the end (PostgreSQL).

Columns the generator does not produce (version, timestamps, is_active, ...) are filled from
the model's own defaults, so a field added later with a default needs no change here; a new
required field without a default makes the seed fail loudly at the start.

Seeded files get no Revision rows: a file without revisions is an imported/seeded one.
Do not run a seed while other processes insert into the registry tables (ids are taken from
max(id) + 1 at the start).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.scoping import unscoped_area, within
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.bulk import SqliteTuning
from guanai.core.errors import DomainError
from guanai.geo.models import Division, Level
from guanai.geo.services import DivisionRow, divisions_load
from guanai.registry.models import Child, Guardian, Household, Parent, School
from guanai.synth.generator import (
    CHILD_COLUMNS,
    GUARDIAN_COLUMNS,
    HOUSEHOLD_COLUMNS,
    PARENT_COLUMNS,
    SCHOOL_COLUMNS,
    Generator,
    IdStart,
    SeedConfig,
    SeedError,
)

__all__ = ["SeedResult", "county_delete", "county_seed"]

ACTOR_NAME = "系统(合成数据)"


@dataclass
class SeedResult:
    county_code: str
    county_name: str
    divisions: int = 0
    schools: int = 0
    households: int = 0
    parents: int = 0
    children: int = 0
    guardians: int = 0
    deleted_children: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return (
            self.divisions
            + self.schools
            + self.households
            + self.parents
            + self.children
            + self.guardians
        )


# --------------------------------------------------------------------------- writing


class _Table:
    """INSERT/COPY of one model: generated columns, then constant columns from model defaults."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], connection) -> None:
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise DomainError(
                _("%(name)s 没有列 %(columns)s: 生成器与模型不一致"),
                name=model.__name__,
                columns=sorted(unknown),
            )
        now = timezone.now()
        tail_columns, tail_values = [], []
        for column, f in fields.items():
            if column in columns:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()  # "" for text fields without a default
                if value is None and not f.null:
                    raise DomainError(
                        _("%(model)s.%(column)s 没有默认值,合成数据无法填写"),
                        model=model.__name__,
                        column=f.name,
                    )
            tail_columns.append(column)
            tail_values.append(f.get_db_prep_save(value, connection))
        self.model = model
        self.table = model._meta.db_table
        self.columns = [*columns, *tail_columns]
        self.tail = tuple(tail_values)
        self.connection = connection
        qn = connection.ops.quote_name
        names = ", ".join(qn(c) for c in self.columns)
        if connection.vendor == "postgresql":
            self.sql = f"COPY {qn(self.table)} ({names}) FROM STDIN"
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            self.sql = f"INSERT INTO {qn(self.table)} ({names}) VALUES ({marks})"

    def write(self, rows: Sequence[tuple]) -> None:
        if not rows:
            return
        tail = self.tail
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(self.sql) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row + tail)
            else:
                cursor.executemany(self.sql, [row + tail for row in rows])


def _next_ids(using: str) -> IdStart:
    def after(model: type[models.Model]) -> int:
        return (model.objects.using(using).aggregate(m=Max("id"))["m"] or 0) + 1

    return IdStart(
        school=after(School),
        household=after(Household),
        parent=after(Parent),
        child=after(Child),
        guardian=after(Guardian),
    )


# --------------------------------------------------------------------------- deleting


def county_delete(county_code: str, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Delete every child, household (with parents) and school under a county; return children.

    Goes through the ORM township by township, so whatever hangs off a child (guardians,
    attachments, revisions, pairings, and models added later) is deleted by its own rules.
    Townships and villages stay (users may belong to them); the seed renames them.
    """
    deleted = 0
    townships = list(
        Division.objects.using(using)
        .filter(code__startswith=county_code, level=Level.TOWNSHIP)
        .values_list("code", flat=True)
    )
    # Rows filed directly under the county (or under divisions not in the tree) come last.
    for prefix in [*townships, county_code]:
        with transaction.atomic(using=using):
            area = unscoped_area(prefix, purpose="seed")
            children = within(area, Child.objects.using(using).all())
            deleted += children.count()
            children.delete()
            within(area, Household.objects.using(using).all()).delete()
    with transaction.atomic(using=using):
        School.objects.using(using).filter(division_code__startswith=county_code).delete()
    return deleted


def _prune_divisions(county_code: str, keep: set[str], using: str) -> None:
    """Remove villages and townships of an earlier seed that the new plan does not have."""
    stale = (
        Division.objects.using(using)
        .filter(code__startswith=county_code, level__in=[Level.VILLAGE, Level.TOWNSHIP])
        .exclude(code__in=keep)
        .order_by("-code")
    )
    for division in stale:
        try:
            with transaction.atomic(using=using):
                division.delete()
        except ProtectedError:
            pass  # still used (a user account, a record filed there): keep it


# --------------------------------------------------------------------------- seeding


def county_seed(
    config: SeedConfig,
    *,
    replace: bool = False,
    chunk_size: int = 20_000,
    progress: Callable[[SeedResult], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> SeedResult:
    """Generate and write a synthetic county. Raises DomainError (Chinese) on bad arguments."""
    started = time.perf_counter()
    try:
        generator = Generator(config)
    except SeedError as exc:
        raise DomainError(exc.message) from exc
    code = config.county_code
    result = SeedResult(county_code=code, county_name=generator.county_name)
    connection = connections[using]

    existing = within(unscoped_area(code, purpose="seed"), Child.objects.using(using).all()).count()
    if existing and not replace:
        raise DomainError(
            _(
                "%(county)s(%(code)s)已有 %(existing)s 名儿童的档案,未生成合成数据。如确需重新生成,请加 --replace(将删除该县全部儿童、家庭和学校数据)。"
            ),
            county=generator.county_name,
            code=code,
            existing=existing,
        )
    if replace and existing:
        result.deleted_children = county_delete(code, using=using)
        audit(
            actor=ACTOR_NAME,
            action=Action.DELETE,
            object_type="geo.division",
            object_id=code,
            label=f"合成数据 {generator.county_name}",
            division_code=code,
            detail=f"重新生成前删除 {result.deleted_children} 名儿童的档案",
        )

    # Divisions: the real province / prefecture / county are created only if missing.
    specs = generator.division_rows()
    present = set(
        Division.objects.using(using)
        .filter(code__in=[s.code for s in specs if s.level in ("province", "city", "county")])
        .values_list("code", flat=True)
    )
    rows = [
        DivisionRow(code=s.code, name=s.name, level=Level(s.level), is_urban=s.is_urban)
        for s in specs
        if s.code not in present
    ]
    divisions_load(rows)
    result.divisions = len(rows)
    if replace:
        _prune_divisions(code, {s.code for s in specs}, using)
    division_ids = dict(
        Division.objects.using(using).filter(code__startswith=code).values_list("code", "id")
    )

    start = _next_ids(using)
    tables = {
        "schools": _Table(School, SCHOOL_COLUMNS, connection),
        "households": _Table(Household, HOUSEHOLD_COLUMNS, connection),
        "parents": _Table(Parent, PARENT_COLUMNS, connection),
        "children": _Table(Child, CHILD_COLUMNS, connection),
        "guardians": _Table(Guardian, GUARDIAN_COLUMNS, connection),
    }
    with SqliteTuning(connection, cache_kib=262_144, synchronous_off=True):
        schools = generator.school_rows(start.school, division_ids)
        with transaction.atomic(using=using):
            tables["schools"].write(schools)
        result.schools = len(schools)
        for chunk in generator.chunks(start, division_ids, chunk_size):
            try:
                with transaction.atomic(using=using):
                    tables["households"].write(chunk.households)
                    tables["parents"].write(chunk.parents)
                    tables["children"].write(chunk.children)
                    tables["guardians"].write(chunk.guardians)
            except (IntegrityError, connection.Database.IntegrityError) as exc:
                # E.g. a generated ID number that a file outside this county already uses.
                # (PostgreSQL's COPY goes through the driver, whose error Django does not wrap.)
                raise DomainError(
                    _(
                        "写入第 %(value)s 名儿童起的数据时与已有数据冲突,已写入的部分可用 --replace 重新生成:%(exc)s"
                    ),
                    value=result.children + 1,
                    exc=exc,
                ) from exc
            result.households += len(chunk.households)
            result.parents += len(chunk.parents)
            result.children += len(chunk.children)
            result.guardians += len(chunk.guardians)
            if progress is not None:
                result.seconds = time.perf_counter() - started
                progress(result)

    reset = connection.ops.sequence_reset_sql(
        no_style(), [School, Household, Parent, Child, Guardian]
    )
    if reset:
        with connection.cursor() as cursor:
            for sql in reset:
                cursor.execute(sql)
    audit(
        actor=ACTOR_NAME,
        action=Action.CREATE,
        object_type="geo.division",
        object_id=code,
        label=f"合成数据 {generator.county_name}",
        division_code=code,
        detail=(
            f"seed {config.seed}, 儿童 {result.children}, 家庭 {result.households}, "
            f"基准日 {config.today.isoformat()}"
        ),
    )
    result.seconds = time.perf_counter() - started
    return result


def today_or(value: str | None) -> date:
    """--today: an ISO date, or today (never later than the system date idnumber checks against)."""
    if not value:
        return min(timezone.localdate(), date.today())
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(_("日期格式应为 YYYY-MM-DD: %(value)s"), value=value) from exc
