"""Which village a roster row belongs to: its code, its name (with the township's), or its address.

Rosters name villages the way people say them: 东风村, 东风, 东风村委会, or 蒲亭镇东风村 in one
cell; a police roster may have no village column at all, only 户籍地址 "德安县蒲亭镇东风村3组".
The villages and townships where the importing user works are read once and matched in memory.
"""

import re

from guanai.geo.models import Division, Level
from guanai.ingest.rows import FIELDS, CleanRow, RowError

_OFFICE = re.compile(r"(村民委员会|居民委员会|村委会|居委会|委员会)$")
_VILLAGE_WORD = re.compile(r"(村|社区|居)$")
_TOWN_WORD = re.compile(r"(镇|乡|街道|街道办事处)$")
LABEL = FIELDS["village"].label


def spoken(name: str) -> str:
    """东风村委会 -> 东风村: the name as addresses and rosters write it."""
    return _OFFICE.sub("", name)


def village_key(name: str) -> str:
    """东风村, 东风, 东风村委会 -> 东风."""
    return _VILLAGE_WORD.sub("", spoken(name)) or name


def town_key(name: str) -> str:
    """蒲亭镇, 蒲亭, 蒲亭镇人民政府 -> 蒲亭."""
    stem = name.removesuffix("人民政府").removesuffix("办事处")
    return _TOWN_WORD.sub("", stem) or stem


class VillageFinder:
    """A row's village code, from the village column, the default village, or the address."""

    def __init__(self, default: Division | None, within: str = ""):
        self.default = default
        # Names are looked up where the user works, within the default village's county.
        self.within = max(within, default.code[:6] if default is not None else "", key=len)
        self.codes: set[str] = set()  # the village codes of every county met so far
        self.counties: set[str] = set()
        self._names: dict[str, set[str]] | None = None  # village key -> codes
        self._spoken: dict[str, set[str]] = {}  # 东风村 -> codes, for finding names in text
        self._towns: dict[str, set[str]] = {}  # town key -> 9-digit prefixes
        self._town_names: dict[str, str] = {}  # 蒲亭镇 -> 9-digit prefix
        self._longest = 0

    def resolve(self, row: CleanRow) -> str | None:
        """The row's village; None where only its address could say and does not."""
        value = row.village
        if value.isdigit():
            code = self._by_code(value)
        elif value:
            code = self._by_name(row.township, value)
            if code is None and not row.township:
                code = self.in_text(value)  # 蒲亭镇东风村 in one cell
        elif self.default is not None:
            return self.default.code
        else:
            return self.in_text(row.values.get("address", ""))
        if code is None:
            where = f"{row.township}没有" if row.township else "找不到"
            hint = "" if row.township else "或加一列乡镇(街道)"
            raise RowError(
                row.line,
                LABEL,
                f"{where}“{value}”(或同名的村不止一个),请填写 12 位区划代码{hint}",
                row.sheet,
            )
        return code

    def unplaced(self, row: CleanRow) -> RowError:
        """The error for a row whose village nothing names."""
        if row.values.get("address"):
            message = (
                f"为空,住址“{row.values['address']}”中也找不到唯一的村(居);"
                "请加一列村(居),或导入时指定默认村"
            )
        else:
            message = "为空,且导入时没有指定默认村(--village)"
        return RowError(row.line, LABEL, message, row.sheet)

    def _by_code(self, value: str) -> str | None:
        if value[:6] not in self.counties:
            # The villages of the code's county at once: a county roster names thousands.
            self.counties.add(value[:6])
            villages = Division.objects.filter(level=Level.VILLAGE, code__startswith=value[:6])
            self.codes.update(villages.values_list("code", flat=True))
        return value if value in self.codes else None

    def _load(self) -> dict[str, set[str]]:
        if self._names is None:
            self._names = {}
            places = Division.objects.filter(
                level__in=[Level.VILLAGE, Level.TOWNSHIP], code__startswith=self.within[:9]
            )
            for code, name, level in places.values_list("code", "name", "level"):
                if level == Level.VILLAGE:
                    self._names.setdefault(village_key(name), set()).add(code)
                    self._spoken.setdefault(spoken(name), set()).add(code)
                    self._longest = max(self._longest, len(spoken(name)))
                else:
                    self._towns.setdefault(town_key(name), set()).add(code[:9])
                    self._town_names[name] = code[:9]
        return self._names

    def _in_scope(self, codes: set[str]) -> set[str]:
        return {c for c in codes if c.startswith(self.within)}

    def _by_name(self, township: str, value: str) -> str | None:
        codes = self._in_scope(self._load().get(village_key(value), set()))
        if township:
            towns = self._towns.get(town_key(township), set())
            codes = {c for c in codes if c[:9] in towns}
        return next(iter(codes)) if len(codes) == 1 else None

    def in_text(self, text: str) -> str | None:
        """The one village an address names (narrowed by a township it names), or None."""
        if not text:
            return None
        self._load()
        text = "".join(text.split())
        found: set[str] = set()
        for i in range(len(text)):
            for j in range(i + 2, min(i + self._longest, len(text)) + 1):
                found |= self._spoken.get(text[i:j], set())
        found = self._in_scope(found)
        towns = {p for name, p in self._town_names.items() if name in text}
        if towns:
            found = {c for c in found if c[:9] in towns}
        return next(iter(found)) if len(found) == 1 else None
