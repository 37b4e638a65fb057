"""Importing a departmental roster: read, validate every row, then commit atomically and link.

``roster_import`` is what the `guanai import` command (and later an upload page) calls. A file
with any bad row saves nothing; importing the same file or the same rows again changes nothing.
"""

import gc
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import (
    division_visible,
    scope_acting,
    unscoped,
    user_prefix,
)
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.bulk import SqliteTuning, cycle_collection_paused, insert_many
from guanai.core.errors import DomainError, listed, worded
from guanai.geo.models import Division, Level
from guanai.ingest import candidates, claims, linkage, merge, opening, places
from guanai.ingest.models import (
    ImportBatch,
    LinkMethod,
    MappingProfile,
    ReviewPair,
    Source,
    SourceRecord,
)
from guanai.ingest.places import VillageFinder
from guanai.ingest.readers import FileRejected, read_table
from guanai.ingest.rows import FIELDS, CleanRow, RowError, clean_row, resolve_headers, row_said
from guanai.registry.models import Child
from guanai.registry.services import OUTSIDE_SCOPE_ID_MESSAGE
from guanai.rules.definitions import add_years

MAX_ERRORS = 200
CHUNK = 2000  # rows stored and linked together
IMPORT_CACHE_KIB = 131_072  # SQLite page cache while committing (128 MB)
PROGRESS_EVERY = 500
# stage, rows done, rows in all: what an upload page shows while a file goes through
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


class ImportRejected(DomainError):
    """Rows failed validation; ``errors`` lists every one (line and column named)."""

    def __init__(self, errors: list[str]):
        more = worded(_("(另有 %(more)s 处)"), more=len(errors) - 20) if len(errors) > 20 else ""
        super().__init__(
            _("%(count)s 处错误,未导入任何数据:%(errors)s%(more)s"),
            count=len(errors),
            errors=listed(errors[:20], ";"),
            more=more,
        )
        self.errors = errors


@dataclass
class ImportReport:
    source: str
    file_name: str
    rows: int = 0
    new: int = 0
    unchanged: int = 0
    linked: int = 0
    review: int = 0
    created: int = 0
    merged: int = 0
    conflicts: int = 0
    skipped: int = 0  # blank template rows, totals, signature lines, headers printed again
    adults: int = 0  # rows of people 18 or over on the roster's day: not children, not imported
    held: int = 0  # rows whose ID number is on file in another township: for the county
    outside: int = 0  # rows of villages outside the uploader's node, left out on request
    already_imported: bool = False
    dry_run: bool = False
    batch_id: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # rows imported all the same; see each

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _jsonable(v: object) -> object:
    return v.isoformat() if isinstance(v, date) else v


ID_LABEL = FIELDS["id_number"].label
OUTSIDE_ROW = "不在您的管辖范围内(全县名册请勾选“只导入本辖区的行”)"
OWN_ROWS_ONLY = "不在您的管辖范围内,未导入(只导入本辖区的行)"


class _OutsideRow(Exception):
    """A row of a village outside the uploader's node, left out (only their own rows wanted)."""


def _check_scope(actor: User | None, row: CleanRow, code: str, own_rows_only: bool) -> None:
    if actor is not None and not division_visible(actor, code):
        if own_rows_only:
            raise _OutsideRow(row_said(row.sheet, row.line, places.LABEL, OWN_ROWS_ONLY))
        raise RowError(row.line, places.LABEL, OUTSIDE_ROW, row.sheet)


def _placed_by_file(actor: User | None, unplaced: list[tuple[CleanRow, list[object]]]):
    """(row, cells, village code or None, whether that file is in the actor's reach): a school
    roster with only a street address names no village, but the file the row's number
    belongs to does. A file outside is not named (the row goes to the county)."""
    for start in range(0, len(unplaced), 5000):
        chunk = unplaced[start : start + 5000]
        numbers = {row.id_number for row, _ in chunk}
        on_file = unscoped(Child.objects.filter(id_number__in=numbers), purpose="duplicate id")
        # An active file first, where a number has an old inactive duplicate too.
        codes = dict(on_file.order_by("is_active").values_list("id_number", "division_code"))
        reach = scope_acting(actor, Child.objects.filter(id_number__in=numbers))
        reachable = set(reach.values_list("id_number", flat=True))
        for row, cells in chunk:
            yield row, cells, codes.get(row.id_number), row.id_number in reachable


def _village_default(code: str | None) -> Division | None:
    if not code:
        return None
    division = Division.objects.filter(code=code, level=Level.VILLAGE).first()
    if division is None:
        raise FileRejected(_("默认村 %(code)s 不存在或不是村(居)级区划"), code=code)
    return division


def _natural_key(row: CleanRow, village: str) -> str:
    if row.id_number:
        return "id:" + row.id_number
    return f"nb:{row.name}:{row.birth_date}:{village}"


def _row_hash(cells: list[object]) -> str:
    text = json.dumps([_jsonable(c) for c in cells], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def roster_import(
    *,
    actor: User | None,
    path: Path | str,
    source: str,
    profile: str | None = None,
    village: str | None = None,
    as_of: date | None = None,
    dry_run: bool = False,
    own_rows_only: bool = False,
    progress: Progress = _no_progress,
) -> ImportReport:
    """Import one roster; `as_of` is the day it describes (default today), dating its values.

    Everything it reads and writes is the actor's (see accounts/scoping.py): a row of a
    village outside is an error (or, with `own_rows_only`, left out and reported), and a row
    whose ID number is on file outside changes nothing there: it waits for the county
    (`OUTSIDE_SCOPE_ID_MESSAGE`)."""
    path = Path(path)
    if source not in Source.values:
        raise FileRejected(
            _("未知的来源部门“%(source)s”,可选:%(choices)s"),
            source=source,
            choices="、".join(Source.values),
        )
    report = ImportReport(source=source, file_name=path.name, dry_run=dry_run)
    digest = _sha256_file(path) if path.exists() else ""
    if not path.exists():
        raise FileRejected(_("找不到文件 %(name)s"), name=path.name)
    if ImportBatch.objects.filter(source=source, file_sha256=digest).exists():
        report.already_imported = True
        return report
    extra = {}
    if profile:
        saved = MappingProfile.objects.filter(source=source, name=profile).first()
        if saved is None:
            raise FileRejected(
                _("来源“%(label)s”没有名为“%(profile)s”的表头对应方案"),
                label=Source(source).label,
                profile=profile,
            )
        extra = saved.columns
    progress("读取文件", 0, 0)
    table = read_table(path, extra)
    try:
        cols = resolve_headers(table.headers, extra)
    except ValueError as exc:
        raise FileRejected(str(exc)) from None
    default = _village_default(village)
    if actor is not None and default is not None and not division_visible(actor, default.code):
        raise FileRejected(_("默认村不在您的管辖范围内"))
    villages = VillageFinder(default, (user_prefix(actor) or "") if actor is not None else "")
    with cycle_collection_paused():  # a million CleanRows would set it off again and again
        cleaned, errors = _checked(
            actor, table, cols, villages, report, as_of, own_rows_only, progress
        )
    report.rows, report.skipped = len(table.rows), table.skipped
    headers = table.headers
    del table  # the cleaned rows keep the cells they need
    if errors:
        report.errors = errors
        if dry_run:
            return report
        raise ImportRejected(errors)
    # A big page cache: the rows go into indexes of million-row tables.
    with SqliteTuning(connection, cache_kib=IMPORT_CACHE_KIB), transaction.atomic():
        _commit(actor, path, source, digest, headers, cleaned, report, as_of, progress)
        if dry_run:
            transaction.set_rollback(True)
            report.batch_id = None
    return report


def _checked(
    actor,
    table,
    cols,
    villages: VillageFinder,
    report: ImportReport,
    as_of,
    own_rows_only,
    progress,
):
    """(cleaned rows with their village code and cells, errors): every row validated."""
    cleaned: list[tuple[CleanRow, str, list[object]]] = []
    unplaced: list[tuple[CleanRow, list[object]]] = []
    errors: list[str] = []
    total = len(table.rows)
    # The day a person turns 18 and leaves the register (the disabled persons' federation lists
    # every age): born on or before it, a row is an adult's.
    adult_born_by = add_years(as_of or timezone.localdate(), -18)
    for done, raw in enumerate(table.rows):
        if done % PROGRESS_EVERY == 0:
            progress("校验", done, total)
        try:
            row = clean_row(raw, cols)
            if row.birth_date is not None and row.birth_date <= adult_born_by:
                report.adults += 1
                continue
            if row.warning and len(report.warnings) < MAX_ERRORS:
                report.warnings.append(row.warning)
            code = villages.resolve(row)
            if code is None:
                if not row.id_number:
                    raise villages.unplaced(row)
                unplaced.append((row, raw.cells))  # the village of the file with its number
                continue
            _check_scope(actor, row, code, own_rows_only)
        except _OutsideRow as left_out:
            _left_out(report, str(left_out))
            continue
        except RowError as exc:
            errors.append(str(exc))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        cleaned.append((row, code, raw.cells))
    for row, cells, code, reachable in _placed_by_file(actor, unplaced):
        if code is None:
            errors.append(str(villages.unplaced(row)))
            continue
        if not reachable:
            # Placed by a file elsewhere: stored at the uploader's own node, for the county.
            code = actor.division.code
        cleaned.append((row, code, cells))
    return cleaned, errors[:MAX_ERRORS]


def _left_out(report: ImportReport, said: str) -> None:
    report.outside += 1
    if len(report.warnings) < MAX_ERRORS:
        report.warnings.append(said)


def _commit(
    actor, path, source, digest, headers, cleaned, report: ImportReport, as_of, progress: Progress
) -> None:
    batch = ImportBatch.objects.create(
        source=source,
        as_of=as_of or timezone.localdate(),
        file_name=path.name[:255],
        file_sha256=digest,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        rows_total=len(cleaned),
    )
    seen: set[bytes] = set()  # rows of this file stored already, by a short digest
    opened = opening.Opened()
    unnumbered = candidates.Unnumbered(actor)
    total = len(cleaned)
    codes = {code for _, code, _ in cleaned}
    # Village by village (in file order within one): a chunk then meets few villages.
    cleaned.sort(key=lambda item: item[1])
    with cycle_collection_paused():
        for start in range(0, total, CHUNK):
            progress("写入与关联", start, total)
            chunk = cleaned[start : start + CHUNK]
            records = _new_records(actor, batch, headers, chunk, seen, report)
            _link_chunk(actor, records, report, opened, unnumbered)
            cleaned[start : start + len(chunk)] = [None] * len(chunk)  # done: let the rows go
            gc.collect(1)  # the cycles the chunk left (saving changed files leaves some), once
    progress("写入与关联", total, total)
    batch.rows_new, batch.rows_linked, batch.rows_review = report.new, report.linked, report.review
    batch.rows_created, batch.rows_merged = report.created, report.merged
    report.conflicts = claims.conflicts_in(actor, batch)
    batch.division_code = _common_prefix(codes)
    batch.save()
    report.batch_id = batch.pk
    audit(
        actor=actor,
        action=Action.CREATE,
        target=batch,
        detail=(
            f"导入 {Source(source).label} 名册 {path.name}:新增 {report.new} 行,"
            f"自动关联 {report.linked}(更新档案 {report.merged}),新建档案 {report.created},"
            f"待确认 {report.review},转县级核对 {report.held}"
        ),
    )


def _new_records(
    actor, batch, headers, chunk, seen: set, report: ImportReport
) -> list[SourceRecord]:
    """The rows not imported before (same source, natural key and content), not saved yet."""
    keyed = [
        (row, code, cells, _natural_key(row, code)[:200], _row_hash(cells))
        for row, code, cells in chunk
    ]
    before = scope_acting(
        actor,
        SourceRecord.objects.filter(source=batch.source, natural_key__in={k[3] for k in keyed}),
    )
    known = set(before.values_list("natural_key", "row_sha256"))
    records = []
    for row, code, cells, key, row_hash in keyed:
        digest = hashlib.blake2b(f"{key}|{row_hash}".encode(), digest_size=16).digest()
        if digest in seen or (key, row_hash) in known:
            report.unchanged += 1
            continue
        seen.add(digest)
        records.append(
            SourceRecord(
                batch=batch,
                source=batch.source,
                sheet=row.sheet,
                line=row.line,
                natural_key=key,
                row_sha256=row_hash,
                raw={h: _jsonable(c) for h, c in zip(headers, cells, strict=False) if h},
                division_code=code,
                name=row.name,
                id_number=row.id_number,
                birth_date=row.birth_date,
                sex=row.sex,
                values=row.values,
            )
        )
    return records


def _common_prefix(codes: set[str]) -> str:
    if not codes:
        return ""
    a, b = min(codes), max(codes)
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _link_chunk(
    actor,
    records: list[SourceRecord],
    report: ImportReport,
    opened,
    unnumbered: candidates.Unnumbered,
) -> None:
    """Link new rows, then store them: an equal ID number or a sure match takes the row's values
    onto the file, no candidate opens a file, anything in between waits for review."""
    numbers = [r.id_number for r in records if r.id_number]
    reach = scope_acting(actor, Child.objects.filter(id_number__in=numbers))
    by_number = dict(reach.values_list("id_number", "id"))
    on_file = unscoped(Child.objects.filter(id_number__in=numbers), purpose="duplicate id")
    elsewhere = {
        number: (pk, code)
        for number, pk, code in on_file.values_list("id_number", "id", "division_code")
        if number not in by_number
    }
    linked, unmatched, asks = [], [], []
    rest = [r for r in records if r.id_number not in by_number and r.id_number not in elsewhere]
    found = candidates.candidates(actor, rest, opened.people, unnumbered)
    candidates_of = dict(zip(map(id, rest), found, strict=True))
    held = []
    for record in records:
        if record.id_number in elsewhere:
            held.append(record)
            said = row_said(record.sheet, record.line, ID_LABEL, OUTSIDE_SCOPE_ID_MESSAGE)
            if len(report.warnings) < MAX_ERRORS:
                report.warnings.append(said)
            continue
        if record.id_number in by_number:
            record.child_id, record.link_method = by_number[record.id_number], LinkMethod.ID_EXACT
            linked.append(record)
            continue
        scored = candidates.scored(record, candidates_of[id(record)], opened.people)
        matches = [t for t in scored if t[3].verdict == "match"]
        if len(matches) == 1:
            record.child_id, record.link_method = matches[0][1], LinkMethod.SCORE
            linked.append(record)
        elif scored:
            asks.append((record, scored))
        else:
            unmatched.append(record)
    opened_files = opening.records_open_files(actor=actor, records=unmatched, opened=opened)
    for record, existing in opened_files.duplicates:
        # Same name, birth date and village as a file the scores did not reach: ask.
        same = linkage.Comparison(0.0, "review", ("同村同名同出生日期",))
        asks.append((record, [(0.0, existing.pk, existing.division_code, same)]))
    insert_many(SourceRecord, records)
    insert_many(
        ReviewPair,
        [
            ReviewPair(
                record=record,
                child_id=child_id,
                division_code=division_code,
                score=score,
                reasons=list(result.reasons),
            )
            for record, scored in asks
            for score, child_id, division_code, result in scored[:5]
        ]
        + [
            # Seen only by a reviewer who reaches both the row and that file: the county.
            ReviewPair(
                record=record,
                child_id=elsewhere[record.id_number][0],
                division_code=elsewhere[record.id_number][1],
                score=1.0,
                reasons=["身份证号相同,档案在其他乡镇(街道)"],
                held_outside=True,
            )
            for record in held
        ],
    )
    report.new += len(records)
    report.review += len(asks)
    report.held += len(held)
    report.created += opened_files.created
    linked += opened_files.same_as_created
    report.linked += len(linked)
    report.merged += merge.records_merge(actor=actor, records=linked)
    unnumbered.recheck(record.child_id for record in linked if record.id_number and record.child_id)
