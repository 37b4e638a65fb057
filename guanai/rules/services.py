"""Writes of the rules app: evaluating files (one on save, all in batch), receipts, hardship
events, confirmations and parameters.

Evaluation stores what `definitions.evaluate` finds as ChildFinding rows and writes only what
changed: a new finding opens a row, a finding that is gone closes its row (ended_on, with
why), a finding whose reason or end changed is updated in place. Starts and ends become
FindingChange rows for the child director, except on a child's first evaluation (baseline).
One child on save and a million in batch go through the same `Plan`.
"""

import multiprocessing
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, connections, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts import permissions
from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible, scope, unscoped, unscoped_area, within
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, recorded
from guanai.registry.models import Child
from guanai.rules.choices import Benefit, ChangeKind, FindingKind, HardshipKind
from guanai.rules.definitions import Finding, cites_version, evaluate
from guanai.rules.facts import (
    FACT_KEYS,
    ChildFacts,
    as_date,
    as_optional_date,
    child_facts,
    facts_between,
    facts_of,
)
from guanai.rules.models import (
    BenefitReceipt,
    ChildBaseline,
    ChildFinding,
    FindingChange,
    HardshipEvent,
    RuleParameter,
)
from guanai.rules.parameters import ParameterBook, book_load, check_parameter

DAY = timedelta(days=1)


# ---------------------------------------------------------------- planning the writes


class StoredFinding(NamedTuple):
    id: int
    kind: str
    code: str
    reason: str
    started_on: date
    valid_until: date | None
    until_reason: str
    division_code: str
    started_known: bool
    pending_review: bool
    awaits_confirmation: bool


STORED_FIELDS = (
    "id",
    "child_id",
    "kind",
    "code",
    "reason",
    "started_on",
    "valid_until",
    "until_reason",
    "division_code",
    "started_known",
    "pending_review",
    "awaits_confirmation",
)
INSERT_FIELDS = (
    "child_id",
    "division_code",
    "kind",
    "code",
    "reason",
    "started_on",
    "valid_until",
    "until_reason",
    "is_current",
    "as_of",
    "end_reason",
    "started_known",
    "pending_review",
    "awaits_confirmation",
)
UPDATE_FIELDS = (
    "reason",
    "valid_until",
    "until_reason",
    "division_code",
    "as_of",
    "started_on",
    "started_known",
    "pending_review",
)
CLOSE_FIELDS = ("is_current", "ended_on", "end_reason", "as_of")
CHANGE_FIELDS = (
    "child_id",
    "division_code",
    "kind",
    "code",
    "change",
    "on",
    "reason",
    "detected_on",
)


@dataclass
class Plan:
    """The rows one evaluation writes, collected over many children and written at once."""

    as_of: date
    inserts: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    closes: list[tuple] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)
    baselines: list[tuple] = field(default_factory=list)
    children: int = 0
    findings: int = 0

    def add(
        self,
        facts: ChildFacts,
        findings: list[Finding],
        stored: dict[tuple[str, str], StoredFinding],
        *,
        baselined: bool,
    ) -> None:
        """Compare one child's findings with its current rows and note what to write."""
        as_of, code = self.as_of, facts.division_code
        self.children += 1
        self.findings += len(findings)
        tell = baselined and facts.is_active
        if not baselined:
            self.baselines.append((facts.child_id, as_of))
        seen = set()
        # A file already evaluated that a newer rule version now finds a category in (its
        # reason cites the version): the category, and the benefits newly owed with it, are
        # proposed and not counted until the director confirms them.
        version_new = tell and any(
            (f.kind, f.code) not in stored and cites_version(f.reason) for f in findings
        )
        for f in findings:
            key = (f.kind, f.code)
            seen.add(key)
            row = stored.get(key)
            if row is None:
                awaits = version_new and (
                    cites_version(f.reason) or f.kind == FindingKind.BENEFIT.value
                )
                started = min(f.since, as_of) if f.since else as_of
                self.inserts.append(
                    (facts.child_id, code, f.kind, f.code, f.reason, started, f.until)
                    + (f.until_reason, True, as_of, "", f.since is not None)
                    + (facts.facts_pending or awaits, awaits)
                )
                if tell:
                    self.changes.append(
                        (facts.child_id, code, f.kind, f.code, ChangeKind.STARTED.value)
                        + (started, f.reason, as_of)
                    )
                continue
            pending = facts.facts_pending or row.awaits_confirmation
            # The start follows the facts' dates (a director adds or corrects when a parent left);
            # without them it stays the day the rules first found it, shown as not known.
            if f.since is not None:
                started, known = min(f.since, as_of), True
            else:
                started, known = row.started_on, False
            if (row.reason, row.valid_until, row.until_reason, row.division_code) != (
                f.reason,
                f.until,
                f.until_reason,
                code,
            ) or (started, known, row.pending_review) != (
                row.started_on,
                row.started_known,
                pending,
            ):
                self.updates.append(
                    (
                        f.reason,
                        f.until,
                        f.until_reason,
                        code,
                        as_of,
                        started,
                        known,
                        pending,
                        row.id,
                    )
                )
        for key, row in stored.items():
            if key in seen:
                continue
            ended, why = self._end(facts, row)
            self.closes.append((False, ended, why, as_of, row.id))
            if tell:
                self.changes.append(
                    (facts.child_id, code, row.kind, row.code, ChangeKind.ENDED.value)
                    + (ended, f"{why}(原认定:{row.reason})"[:500], as_of)
                )

    def _end(self, facts: ChildFacts, row: StoredFinding) -> tuple[date, str]:
        """The last day a finding held, and why it stopped."""
        if row.valid_until is not None and row.valid_until < self.as_of:
            return row.valid_until, row.until_reason
        last_day = max(row.started_on, self.as_of - DAY)
        if not facts.is_active:
            return last_day, "档案已注销"
        return last_day, "档案信息变化,不再符合条件"

    @property
    def writes(self) -> int:
        return len(self.inserts) + len(self.updates) + len(self.closes)

    def write(self) -> None:
        _insert(ChildFinding, INSERT_FIELDS, self.inserts)
        _update(ChildFinding, UPDATE_FIELDS, self.updates)
        _update(ChildFinding, CLOSE_FIELDS, self.closes)
        _insert(FindingChange, CHANGE_FIELDS, self.changes)
        _insert(ChildBaseline, ("child_id", "evaluated_on"), self.baselines)


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    """Columns of fields named as their attributes are (`child_id` for the foreign key)."""
    columns = {field.attname: field.column for field in model._meta.concrete_fields}
    return [columns[name] for name in names]


def _prepared(rows: list[tuple]) -> list[tuple]:
    """Values as the driver takes them: only dates need a hand (ISO text on SQLite). Done here
    rather than by each field's get_db_prep_save, which costs more than the insert."""
    if connection.vendor != "sqlite":
        return rows
    return [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]


def _insert(model: type[Model], names: Sequence[str], rows: list[tuple]) -> None:
    # COPY on PostgreSQL, executemany on SQLite: at a million rows, model instances and
    # bulk_create cost more than the database does.
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in _columns(model, names))
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            cursor.executemany(sql, _prepared(rows))


def _update(model: type[Model], names: Sequence[str], rows: list[tuple]) -> None:
    """UPDATE by primary key; each row is the values of `names` then the id."""
    if not rows:
        return
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in _columns(model, names))
    sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {qn(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, _prepared(rows))


def _stored(rows: Iterable[tuple]) -> dict[int, dict[tuple[str, str], StoredFinding]]:
    by_child: dict[int, dict[tuple[str, str], StoredFinding]] = {}
    for r in rows:
        found = StoredFinding(
            r[0],
            r[2],
            r[3],
            r[4],
            as_date(r[5]),
            as_optional_date(r[6]),
            r[7],
            r[8],
            bool(r[9]),
            bool(r[10]),
            bool(r[11]),
        )
        by_child.setdefault(r[1], {})[(found.kind, found.code)] = found
    return by_child


# ---------------------------------------------------------------- one child, on save


@dataclass
class EvaluationStats:
    as_of: date
    children: int = 0
    findings: int = 0
    inserted: int = 0
    updated: int = 0
    closed: int = 0
    changes: int = 0
    seconds: float = 0.0

    def count(self, plan: Plan) -> None:
        self.children += plan.children
        self.findings += plan.findings
        self.inserted += len(plan.inserts)
        self.updated += len(plan.updates)
        self.closed += len(plan.closes)
        self.changes += len(plan.changes)


@recorded
def child_evaluate(child: Child, as_of: date | None = None) -> EvaluationStats:
    """Re-evaluate one child's file (called at the end of every registry write)."""
    as_of = as_of or timezone.localdate()
    stats = EvaluationStats(as_of)
    facts = child_facts(child.pk)
    if facts is None:
        return stats
    book = book_load(facts.division_code)
    stored = unscoped(
        ChildFinding.objects.filter(child_id=child.pk, is_current=True), purpose="rules on save"
    )
    current = _stored(stored.values_list(*STORED_FIELDS)).get(child.pk, {})
    baselined = ChildBaseline.objects.filter(child_id=child.pk).exists()
    plan = Plan(as_of)
    findings = evaluate(facts, book.params(facts.division_code, as_of), as_of)
    plan.add(facts, findings, current, baselined=baselined)
    with transaction.atomic():
        plan.write()
    stats.count(plan)
    return stats


def files_saved_evaluate(
    changed: dict[int, set[str]], as_of: date | None = None
) -> EvaluationStats:
    """Files saved at once (a roster's chunk; file id -> the snapshot keys that changed): the
    ones whose deciding facts changed, and any never evaluated, evaluated together. A file
    whose new values decide nothing (a class, a phone) finds what it found before."""
    baselined = set(
        ChildBaseline.objects.filter(child_id__in=changed).values_list("child_id", flat=True)
    )
    return ids_evaluate(
        sorted(pk for pk, keys in changed.items() if keys & FACT_KEYS or pk not in baselined),
        as_of,
    )


@recorded
def ids_evaluate(child_ids: list[int], as_of: date | None = None) -> EvaluationStats:
    """Evaluate some children together (by id), as `child_evaluate` would one by one."""
    as_of = as_of or timezone.localdate()
    stats = EvaluationStats(as_of)
    if not child_ids:
        return stats
    stored = unscoped(
        ChildFinding.objects.filter(child_id__in=child_ids, is_current=True),
        purpose="rules on save",
    )
    baselined = set(
        ChildBaseline.objects.filter(child_id__in=child_ids).values_list("child_id", flat=True)
    )
    plan = _planned(book_load(""), as_of, facts_of(child_ids), stored, baselined)
    with transaction.atomic():
        plan.write()
    stats.count(plan)
    return stats


@recorded
def id_range_evaluate(first_id: int, last_id: int, as_of: date | None = None) -> EvaluationStats:
    """Evaluate the children of an id range together (files just opened by an import)."""
    as_of = as_of or timezone.localdate()
    stats = EvaluationStats(as_of)
    plan = chunk_plan(book_load(""), as_of, first_id, last_id, "")
    with transaction.atomic():
        plan.write()
    stats.count(plan)
    return stats


# ---------------------------------------------------------------- every child, in batch


def id_ranges(division_code: str, chunk_size: int) -> list[tuple[int, int]]:
    """(first id, last id) of consecutive chunks of the children inside a division."""
    area = unscoped_area(division_code, purpose="rules batch")
    ids = list(within(area, Child.objects.order_by("id")).values_list("id", flat=True))
    return [
        (ids[start], ids[min(start + chunk_size, len(ids)) - 1])
        for start in range(0, len(ids), chunk_size)
    ]


def chunk_plan(
    book: ParameterBook, as_of: date, first_id: int, last_id: int, division_code: str
) -> Plan:
    """Evaluate the children of one id range and plan the writes (reads only)."""
    facts = facts_between(first_id, last_id, division_code)
    in_range = {"child_id__gte": first_id, "child_id__lte": last_id}
    area = unscoped_area(division_code, purpose="rules batch")
    stored = within(area, ChildFinding.objects.filter(is_current=True, **in_range)).order_by()
    in_area = {"child__division_code__startswith": division_code} if division_code else {}
    baselined = set(
        ChildBaseline.objects.filter(**in_range, **in_area).values_list("child_id", flat=True)
    )
    return _planned(book, as_of, facts, stored, baselined)


def _planned(
    book: ParameterBook,
    as_of: date,
    facts: list[ChildFacts],
    stored: QuerySet,
    baselined: set[int],
) -> Plan:
    """Evaluate the children's facts and plan the writes against their current findings."""
    current = _stored(stored.values_list(*STORED_FIELDS).iterator(chunk_size=10_000))
    plan = Plan(as_of)
    params = book.params
    for f in facts:
        findings = evaluate(f, params(f.division_code, as_of), as_of)
        plan.add(f, findings, current.get(f.child_id, {}), baselined=f.child_id in baselined)
    return plan


# A forked worker's job: set once per worker, so the parameter book is not sent per chunk.
_worker_job: tuple[ParameterBook, date, str] | None = None


def _worker_start(book: ParameterBook, as_of: date, division_code: str) -> None:
    global _worker_job
    _worker_job = (book, as_of, division_code)


def _worker_plan(id_range: tuple[int, int]) -> Plan:
    assert _worker_job is not None, "set by _worker_start, the pool's initializer"
    book, as_of, division_code = _worker_job
    return chunk_plan(book, as_of, *id_range, division_code)


def default_workers() -> int:
    """Processes for a batch: the CPUs (at most 4); one where the database lives in memory
    (the tests' SQLite), which other processes cannot open."""
    # is_in_memory_db is the SQLite wrapper's own; the vendor check comes first.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return 1
    return max(1, min(4, os.cpu_count() or 1))


@recorded
def registry_evaluate(
    *,
    as_of: date | None = None,
    division_code: str = "",
    chunk_size: int = 20_000,
    dry_run: bool = False,
    workers: int = 1,
    progress=None,
) -> EvaluationStats:
    """Evaluate every child inside a division ('' = all) as of a day.

    With several workers, forked processes read and evaluate chunks of children while this
    process writes their plans, one transaction per chunk (chunks are disjoint: no conflicts).
    """
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    stats = EvaluationStats(as_of)
    book = book_load(division_code)
    ranges = id_ranges(division_code, chunk_size)

    def record(plan: Plan) -> None:
        if not dry_run:
            with transaction.atomic():
                plan.write()
        stats.count(plan)
        if progress is not None:
            progress(stats)

    # Forking needs the connections closed (none may cross the fork), which a caller's open
    # transaction forbids: inside one, the batch runs in this process.
    if workers > 1 and len(ranges) > 1 and not connection.in_atomic_block:
        connections.close_all()
        pool_context = multiprocessing.get_context("fork")
        with pool_context.Pool(workers, _worker_start, (book, as_of, division_code)) as pool:
            for plan in pool.imap(_worker_plan, ranges):
                record(plan)
    else:
        for first_id, last_id in ranges:
            record(chunk_plan(book, as_of, first_id, last_id, division_code))
    stats.seconds = time.perf_counter() - started
    return stats


# ---------------------------------------------------------------- what people record


def _check_editor(actor: User, child: Child) -> None:
    if not permissions.can_edit_children(actor) or not division_visible(actor, child.division_code):
        raise AccessDenied(_("您不能修改该儿童的保障记录"))


def _check_dates(start: date, end: date | None, start_field: str, end_field: str) -> None:
    if start > timezone.localdate():
        raise DomainError(_("开始日期不能晚于今天"), field=start_field)
    if end is not None and end < start:
        raise DomainError(_("结束日期不能早于开始日期"), field=end_field)


@recorded
@transaction.atomic
def benefit_receipt_record(
    *,
    actor: User,
    child: Child,
    benefit: str,
    start_on: date,
    end_on: date | None = None,
    monthly_amount: Decimal | None = None,
    note: str = "",
) -> BenefitReceipt:
    """Record that a child receives (or received) a benefit."""
    _check_editor(actor, child)
    if benefit not in Benefit.values:
        raise DomainError(_("请选择保障待遇"), field="benefit")
    _check_dates(start_on, end_on, "start_on", "end_on")
    if monthly_amount is not None and monthly_amount < 0:
        raise DomainError(_("金额不能为负数"), field="monthly_amount")
    overlapping = scope(actor, BenefitReceipt.objects.filter(child=child, benefit=benefit)).exclude(
        end_on__lt=start_on
    )
    if end_on is not None:
        overlapping = overlapping.filter(start_on__lte=end_on)
    if overlapping.exists():
        raise DomainError(_("该待遇在这段时间内已有享受记录"), field="start_on")
    receipt = BenefitReceipt.objects.create(
        child=child,
        division_code=child.division_code,
        benefit=benefit,
        start_on=start_on,
        end_on=end_on,
        monthly_amount=monthly_amount,
        note=note.strip(),
        recorded_by=actor,
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=receipt,
        label=f"{child.name}:{receipt.get_benefit_display()}",
        changes={"benefit": ("", benefit), "start_on": ("", start_on), "end_on": ("", end_on)},
    )
    child_evaluate(child)
    return receipt


def _record_close(*, actor: User, record, field: str, on: date, start: date, closed: str) -> None:
    """Set the end date of a receipt or an event, audited, and re-evaluate the child."""
    _check_editor(actor, record.child)
    if getattr(record, field) is not None:
        raise DomainError(closed)
    _check_dates(start, on, field, field)
    setattr(record, field, on)
    record.save(update_fields=[field])
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=record,
        label=f"{record.child.name}:{record}",
        changes={field: (None, on)},
    )
    child_evaluate(record.child)


@transaction.atomic
def benefit_receipt_end(*, actor: User, receipt: BenefitReceipt, end_on: date) -> None:
    """Stop a benefit (the child no longer qualifies, or it was stopped)."""
    _record_close(
        actor=actor,
        record=receipt,
        field="end_on",
        on=end_on,
        start=receipt.start_on,
        closed="该待遇已停止",
    )


@recorded
@transaction.atomic
def hardship_event_record(
    *,
    actor: User,
    child: Child,
    kind: str,
    occurred_on: date,
    description: str,
    ended_on: date | None = None,
    other_assistance: bool = False,
) -> HardshipEvent:
    """Record a sudden hardship or a harm from absent or improper guardianship."""
    _check_editor(actor, child)
    if kind not in HardshipKind.values:
        raise DomainError(_("请选择事件类型"), field="kind")
    _check_dates(occurred_on, ended_on, "occurred_on", "ended_on")
    if not description.strip():
        raise DomainError(_("请填写情况说明"), field="description")
    event = HardshipEvent.objects.create(
        child=child,
        division_code=child.division_code,
        kind=kind,
        occurred_on=occurred_on,
        ended_on=ended_on,
        description=description.strip(),
        other_assistance=other_assistance,
        recorded_by=actor,
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=event,
        label=f"{child.name}:{event.get_kind_display()}",
        changes={"kind": ("", kind), "occurred_on": ("", occurred_on)},
    )
    child_evaluate(child)
    return event


@transaction.atomic
def hardship_event_end(*, actor: User, event: HardshipEvent, ended_on: date) -> None:
    """The hardship is over (or the harm has been dealt with)."""
    _record_close(
        actor=actor,
        record=event,
        field="ended_on",
        on=ended_on,
        start=event.occurred_on,
        closed="该事件已解除",
    )


@transaction.atomic
def _proposal_confirmed(change: FindingChange) -> None:
    """A start a newer rule version proposed is counted once confirmed (unless the file's
    facts still wait for the township's review)."""
    if change.change != ChangeKind.STARTED:
        return
    found = unscoped(
        ChildFinding.objects.filter(
            child_id=change.child_id,
            kind=change.kind,
            code=change.code,
            is_current=True,
            awaits_confirmation=True,
        ),
        purpose="rules on save",
    )
    found.filter(child__facts_pending=False).update(awaits_confirmation=False, pending_review=False)
    found.update(awaits_confirmation=False)


def finding_changes_confirm(*, actor: User, changes: Sequence[FindingChange]) -> int:
    """The child director has seen these starts and ends and agrees with them."""
    if not permissions.can_edit_children(actor):
        raise AccessDenied(_("您的角色不能确认认定变化"))
    now = timezone.now()
    confirmed = 0
    for change in changes:
        if not division_visible(actor, change.division_code):
            raise AccessDenied(_("该记录不在您的管辖范围内"))
        if change.confirmed_at is not None:
            continue
        change.confirmed_at = now
        change.confirmed_by = actor
        change.save(update_fields=["confirmed_at", "confirmed_by"])
        _proposal_confirmed(change)
        audit(
            actor=actor,
            action=Action.UPDATE,
            target=change,
            label=f"{change.child.name}:{change}",
            detail=f"确认认定变化:{change.reason}"[:500],
        )
        confirmed += 1
    return confirmed


@transaction.atomic
def rule_parameter_set(
    *,
    actor: User | None,
    name: str,
    area_code: str,
    effective_from: date,
    value: Decimal,
    effective_to: date | None = None,
    note: str = "",
) -> RuleParameter:
    """Add (or correct) a parameter value for an area from a date; older values stay for
    evaluations of earlier days."""
    check_parameter(name, area_code, effective_from, effective_to)
    if actor is not None and not (
        permissions.can_manage_users(actor) and division_visible(actor, area_code or "")
    ):
        raise AccessDenied(_("您不能设置该地区的规则参数"))
    row, created = RuleParameter.objects.update_or_create(
        name=name,
        area_code=area_code,
        effective_from=effective_from,
        defaults={"value": value, "effective_to": effective_to, "note": note, "created_by": actor},
    )
    audit(
        actor=actor or "命令行",
        action=Action.CREATE if created else Action.UPDATE,
        target=row,
        division_code=area_code,
        changes={"value": ("", value), "effective_from": ("", effective_from)},
    )
    return row
