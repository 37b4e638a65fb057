"""Printed and exported reports of the registry: the child's file as PDF, the roster as xlsx.

Plain functions of (user, child or filters): no request objects. Each report is a generator of
content (rows, or a template context) paired with a formatter (xlsx writer, WeasyPrint), so a
CSV or GB18030 formatter can reuse the roster rows later. Every report is audited.
"""

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from weasyprint import HTML
from weasyprint.urls import URLFetcher

import guanai
from guanai.accounts import permissions
from guanai.accounts.models import User
from guanai.accounts.scoping import scope
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, in_record, recorded
from guanai.geo.models import Division, Level
from guanai.registry import selectors, services
from guanai.registry.attachments import attachment_cards, attachment_list_for
from guanai.registry.choices import (
    AttachmentKind,
    DisabilityCategory,
    DisabilityGrade,
    EconomicStatus,
    GuardianRelation,
    InactiveReason,
    ParentStatus,
    Sex,
)
from guanai.registry.extensions import child_list_filters, file_panels
from guanai.registry.history import change_words
from guanai.registry.masking import mask_id_number, mask_phone, mask_text
from guanai.registry.models import Child, Guardian
from guanai.registry.presenters import age_on, child_file_view

# ---------------------------------------------------------------- shared


def local_place_name(division: Division | None, separator: str = "") -> str:
    """County, township and village names down to `division`, as people write them on forms."""
    if division is None:
        return "全部辖区"
    chain = [*division.ancestors(), division]
    local = [d.name for d in chain if d.level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)]
    return separator.join(local) or division.name


# ---------------------------------------------------------------- the child's file as PDF

PDF_PHOTOS = 12  # the newest photos; the rest stay on the page


class LocalFilesOnly(URLFetcher):
    """Lets WeasyPrint read data: URIs and files under the media and static folders, nothing else.

    A file holds text typed by many people; a URL in it must never make the server fetch from
    the network (or read other files on the server).
    """

    def __init__(self):
        super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=False)

    @staticmethod
    def roots() -> list[Path]:
        folders = [
            settings.MEDIA_ROOT,
            settings.STATIC_ROOT,
            Path(guanai.__file__).parent / "static",
        ]
        return [Path(folder).resolve() for folder in folders]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots()):
                raise ValueError(f"PDF 只能读取本地的静态文件和附件,拒绝 {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"PDF 不从网络读取任何内容,拒绝 {url}")
        return super().fetch(url, headers)


@recorded  # printed in Chinese for the archive, labels and panels too, whoever prints it
def child_pdf_html(actor: User, child: Child, *, reveal: bool, printed_at: datetime) -> str:
    revisions = [
        (revision, change_words(revision, reveal=reveal))
        for revision in selectors.revision_list_for(actor, child)[:50]
    ]
    photos = attachment_list_for(actor, child).filter(kind=AttachmentKind.PHOTO)[:PDF_PHOTOS]
    context = {
        "child": child,
        "place": local_place_name(child.division, " "),
        "file": child_file_view(actor, child, reveal=reveal),
        "revisions": revisions,
        "panels": file_panels(actor, child, pdf=True),
        "can_see_history": permissions.can_see_file_history(actor),
        "photos": [card for card in attachment_cards(photos) if card.thumbnail_uri],
        "revealed": reveal,
        "printed_at": timezone.localtime(printed_at),
        "printed_by": f"{actor.display_name}({actor.role_label})",
    }
    return render_to_string("registry/child_pdf.html", context)


def child_file_pdf(*, actor: User, child: Child, reveal: bool = False) -> bytes:
    """The whole file, printable, masked as on the page unless revealed by a role that may."""
    if reveal:
        if not permissions.can_reveal_sensitive(actor):
            raise AccessDenied(gettext_lazy("您的角色不能查看完整的敏感信息"))
        services.child_sensitive_revealed(actor=actor, child=child)
    html = child_pdf_html(actor, child, reveal=reveal, printed_at=timezone.now())
    pdf = HTML(string=html, url_fetcher=LocalFilesOnly()).write_pdf()
    audit(
        actor=actor,
        action=Action.DOWNLOAD,
        target=child,
        detail="打印档案PDF(含完整敏感信息)" if reveal else "打印档案PDF",
    )
    return pdf


def child_pdf_filename(child: Child, on: date) -> str:
    return f"{child.name}-儿童档案-{on:%Y%m%d}.pdf"


# ---------------------------------------------------------------- the roster (花名册)

ROSTER_COLUMNS: list[tuple[str, int]] = [
    (gettext_noop("序号"), 6),
    (gettext_noop("姓名"), 10),
    (gettext_noop("性别"), 5),
    (gettext_noop("出生日期"), 11),
    (gettext_noop("年龄"), 5),
    (gettext_noop("身份证号"), 20),
    (gettext_noop("村(居)"), 12),
    (gettext_noop("家庭住址"), 28),
    (gettext_noop("监护人"), 10),
    (gettext_noop("关系"), 9),
    (gettext_noop("联系电话"), 13),
    (gettext_noop("父亲状况"), 14),
    (gettext_noop("母亲状况"), 14),
    (gettext_noop("学校"), 18),
    (gettext_noop("班级"), 9),
    (gettext_noop("残疾类别/等级"), 14),
    (gettext_noop("家庭经济状况"), 12),
    (gettext_noop("档案状态"), 14),
]
ROSTER_CHUNK = 2000
# Plain values, not model instances: a county's roster is 100,000 rows and building instances
# (and get_FOO_display, which rebuilds its choices dict on every call) took most of the time.
ROSTER_FIELDS = (
    "id",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "division__name",
    "household__address",
    "household__phone",
    "household__economic_status",
    "household__poverty_registered",
    "father__status",
    "father__away_destination",
    "mother__status",
    "mother__away_destination",
    "school__name",
    "class_name",
    "disability_category",
    "disability_grade",
    "is_active",
    "inactive_reason",
)
LABELS = {
    choices: dict(choices.choices)
    for choices in (
        Sex,
        ParentStatus,
        GuardianRelation,
        DisabilityCategory,
        DisabilityGrade,
        EconomicStatus,
        InactiveReason,
    )
}


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _primary_guardians(user: User, child_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """Child id -> (name, relation, phone) of the primary (else first) guardian."""
    guardians: dict[int, tuple[str, str, str]] = {}
    rows = (
        scope(user, Guardian.objects.filter(child_id__in=child_ids))
        .order_by("child_id", "-is_primary", "id")
        .values_list("child_id", "name", "relation", "phone")
    )
    for child_id, name, relation, phone in rows:
        guardians.setdefault(child_id, (name, relation, phone))
    return guardians


def _parent_status(status: str | None, destination: str | None) -> str:
    if status is None:
        return "未登记"
    label = LABELS[ParentStatus].get(status, status)
    if status == ParentStatus.WORKING_AWAY and destination:
        return f"{label}({destination})"
    return label


def _economic_status(status: str, poverty_registered: bool) -> str:
    parts = [] if status == EconomicStatus.NONE else [LABELS[EconomicStatus].get(status, status)]
    if poverty_registered:
        parts.append("建档立卡")
    return "、".join(parts)


def _file_status(child: dict) -> str:
    if child["is_active"]:
        return "在册" if child["id_number"] else "在册(缺身份证号)"
    reason = LABELS[InactiveReason].get(child["inactive_reason"], "")
    return f"已注销({reason})" if reason else "已注销"


def _roster_row(number: int, child: dict, guardian, *, reveal: bool, today: date) -> list[Any]:
    guardian_name, relation, guardian_phone = guardian or ("", "", "")
    phone = guardian_phone or child["household__phone"]
    disability = " ".join(
        filter(
            None,
            [
                in_record(LABELS[DisabilityCategory].get(child["disability_category"], "")),
                in_record(LABELS[DisabilityGrade].get(child["disability_grade"], "")),
            ],
        )
    )
    id_number = child["id_number"] or ""
    return [
        number,
        child["name"],
        LABELS[Sex].get(child["sex"], ""),
        child["birth_date"],
        age_on(child["birth_date"], today),
        id_number if reveal else mask_id_number(id_number),
        child["division__name"],
        child["household__address"],
        guardian_name,
        LABELS[GuardianRelation].get(relation, relation),
        phone if reveal else mask_phone(phone),
        _parent_status(child["father__status"], child["father__away_destination"]),
        _parent_status(child["mother__status"], child["mother__away_destination"]),
        child["school__name"] or "",
        child["class_name"],
        disability if reveal else mask_text(disability),
        _economic_status(
            child["household__economic_status"], child["household__poverty_registered"]
        ),
        _file_status(child),
    ]


def roster_rows(user: User, filters: selectors.ChildFilters, *, today: date) -> Iterator[list[Any]]:
    """One row per child in scope and filter, in ROSTER_COLUMNS order, masked by role.

    Streams: ROSTER_CHUNK children at a time, each chunk with its guardians in one more query.
    """
    reveal = permissions.can_reveal_sensitive(user)
    children = selectors.child_list_for(user, filters).values(*ROSTER_FIELDS)
    number = 0
    for chunk in _chunks(children.iterator(chunk_size=ROSTER_CHUNK), ROSTER_CHUNK):
        guardians = _primary_guardians(user, [child["id"] for child in chunk])
        for child in chunk:
            number += 1
            yield _roster_row(number, child, guardians.get(child["id"]), reveal=reveal, today=today)


def roster_title(user: User, filters: selectors.ChildFilters, on: date) -> str:
    node = (
        Division.objects.filter(code=filters.division_code).first()
        if filters.division_code
        else user.division
    )
    return f"{local_place_name(node)} 儿童花名册 {on:%Y-%m-%d}"


def describe_filters(filters: selectors.ChildFilters) -> str:
    parts = []
    if filters.division_code:
        parts.append(f"区划 {filters.division_code}")
    if filters.text:
        parts.append(f"查询“{filters.text}”")
    if filters.school_id:
        parts.append(f"学校 {filters.school_id}")
    if filters.include_inactive:
        parts.append("含已注销")
    if filters.missing_id:
        parts.append("缺身份证号")
    if filters.missing_guardian:
        parts.append("缺监护人")
    if filters.age_band:
        parts.append(f"{filters.age_band}岁")
    for extra in child_list_filters():
        if filters.extra.get(extra.key):
            parts.append(f"{extra.label} {filters.extra[extra.key]}")
    return "、".join(parts) or "无"


# Text a spreadsheet would run as a formula (CSV/DDE injection, OWASP): = + - @, tab, CR.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text as inert text: a leading apostrophe before a formula trigger, no control characters.
    A choice's label is written as the ledger keeps it, in Chinese (the headers are the reader's)."""
    value = in_record(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def xlsx_write(
    out: IO[bytes],
    *,
    sheet_name: str,
    title: str,
    columns: list[tuple[str, int]],
    rows: Iterable[list[Any]],
) -> int:
    """Write a title row, a frozen header and the rows (write-only: constant memory); the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    title_cell = WriteOnlyCell(sheet, value=spreadsheet_safe(title))
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=gettext(name))  # the reader's language
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EC")
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
        count += 1
    workbook.save(out)
    return count


@dataclass
class RosterExport:
    title: str
    filename: str
    rows: int
    file: IO[bytes]  # positioned at the start; the caller streams and closes it


def xlsx_export(
    *, sheet_name: str, title: str, columns: list[tuple[str, int]], rows: Iterable[list[Any]]
) -> RosterExport:
    """Rows written as xlsx into a temporary file, the one way every export is written: the
    spreadsheet-safe cells of `xlsx_write`, and the file named after the title without spaces.

    Returned open: the response streams it and closes it (a county's roster is megabytes)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        count = xlsx_write(out, sheet_name=sheet_name, title=title, columns=columns, rows=rows)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return RosterExport(title, f"{title.replace(' ', '')}.xlsx", count, out)


def roster_xlsx(*, actor: User, filters: selectors.ChildFilters) -> RosterExport:
    """The roster of every child in scope and filter as xlsx in a temporary file; audited."""
    if not permissions.can_export(actor):
        raise AccessDenied(gettext_lazy("您的角色不能导出花名册"))
    today = timezone.localdate()
    title = roster_title(actor, filters, today)
    export = xlsx_export(
        sheet_name="花名册",
        title=title,
        columns=ROSTER_COLUMNS,
        rows=roster_rows(actor, filters, today=today),
    )
    audit(
        actor=actor,
        action=Action.EXPORT,
        object_type="registry.roster",
        label=title,
        division_code=filters.division_code or (actor.division.code if actor.division else ""),
        detail=f"导出花名册 {export.rows} 人;条件:{describe_filters(filters)}",
    )
    return export
