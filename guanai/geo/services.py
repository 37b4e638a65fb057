"""Loading the administrative tree."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy

from guanai.core.errors import DomainError, in_record
from guanai.geo.models import CODE_LENGTH, LEVEL_ORDER, PREFIX_LENGTH, Division, Level

LEVEL_BY_NAME = {lv.value: lv for lv in Level} | {in_record(lv.label): lv for lv in Level}


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: Level
    is_urban: bool = False


def parent_code_of(code: str, level: Level) -> list[str]:
    """Candidate parent codes, nearest level first (a county may sit directly under a province)."""
    index = LEVEL_ORDER.index(level)
    candidates = []
    for parent_level in reversed(LEVEL_ORDER[:index]):
        prefix = code[: PREFIX_LENGTH[parent_level]]
        candidates.append(prefix.ljust(CODE_LENGTH[parent_level], "0"))
    return candidates


def parse_division_csv(text: str) -> list[DivisionRow]:
    """Read a division list: columns code,name[,level][,urban]. Level is inferred from the code."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or not {"code", "name"} <= set(reader.fieldnames):
        raise DomainError(gettext_lazy("区划表缺少必需的列: code, name"))
    rows = []
    for line_no, record in enumerate(reader, start=2):
        code = (record.get("code") or "").strip()
        name = (record.get("name") or "").strip()
        if not code.isdigit() or len(code) not in (6, 9, 12):
            raise DomainError(
                gettext_lazy("第 %(line_no)s 行: 区划代码“%(code)s”应为 6、9 或 12 位数字"),
                line_no=line_no,
                code=code,
            )
        if not name:
            raise DomainError(gettext_lazy("第 %(line_no)s 行: 名称不能为空"), line_no=line_no)
        level_text = (record.get("level") or "").strip()
        level = LEVEL_BY_NAME.get(level_text) if level_text else infer_level(code)
        if level is None:
            raise DomainError(
                gettext_lazy("第 %(line_no)s 行: 层级“%(level_text)s”无法识别"),
                line_no=line_no,
                level_text=level_text,
            )
        urban = (record.get("urban") or "").strip().lower() in {"1", "true", "是", "城镇"}
        rows.append(DivisionRow(code=code, name=name, level=level, is_urban=urban))
    return rows


def infer_level(code: str) -> Level:
    if len(code) == 12:
        return Level.VILLAGE
    if len(code) == 9:
        return Level.TOWNSHIP
    if code.endswith("0000"):
        return Level.PROVINCE
    if code.endswith("00"):
        return Level.CITY
    return Level.COUNTY


@transaction.atomic
def divisions_load(rows: Iterable[DivisionRow]) -> int:
    """Create or update divisions; parents must come in the same load or exist already."""
    rows = sorted(rows, key=lambda r: LEVEL_ORDER.index(r.level))
    known = {d.code: d for d in Division.objects.all()}
    count = 0
    for row in rows:
        parent = next((known[c] for c in parent_code_of(row.code, row.level) if c in known), None)
        if parent is None and row.level != Level.PROVINCE:
            raise DomainError(
                gettext_lazy("区划 %(code)s %(name)s 找不到上级区划"),
                code=row.code,
                name=row.name,
            )
        division, _ = Division.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "level": row.level,
                "parent": parent,
                "is_urban": row.is_urban,
            },
        )
        known[division.code] = division
        count += 1
    return count
