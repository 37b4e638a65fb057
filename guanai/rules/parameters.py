"""Rule parameters: the ages, durations and amounts the rules use, by area and by date.

A parameter is a name with dated values per area (RuleParameter rows). The national values are
shipped by a data migration (defaults.py); a county adds its own rows (its 6-digit code as the
area) with the dates they take effect, and every evaluation on or after that day uses them.
Resolution for a child's village on a day: the most specific area whose rows cover the day,
then the latest `effective_from`. Nothing here touches the database except `book_load`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanai.core.errors import DomainError
from guanai.registry.choices import DisabilityCategory


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    label: str
    unit: str


# Kinds of disability with a rehabilitation programme (mental disability has none, seed 004 篇10).
REHABILITATION_KINDS = [
    (kind.value, kind.label) for kind in DisabilityCategory if kind != DisabilityCategory.MENTAL
]

# Every parameter the rules read. Amount parameters without a national value (the standards
# that each place sets for itself) are simply left out of a finding's reason until an area
# adds them.
SPECS = {
    spec.name: spec
    for spec in [
        ParameterSpec("child.age_below", "儿童年龄上限(未满)", "周岁"),
        ParameterSpec("left_behind.age_below", "留守儿童年龄上限(未满)", "周岁"),
        ParameterSpec("orphan_allowance.age_below", "孤儿基本生活费年龄上限(未满)", "周岁"),
        ParameterSpec("tekun_support.age_below", "特困供养儿童年龄上限(未满)", "周岁"),
        ParameterSpec("de_facto.imprisonment_years", "事实无人抚养:服刑期限(以上)", "年"),
        ParameterSpec("de_facto.left_home_years", "事实无人抚养:离家出走期限(以上)", "年"),
        ParameterSpec(
            "de_facto_2019.in_force", "事实无人抚养按民发〔2019〕62号认定(1=是,自起始日期)", ""
        ),
        ParameterSpec("de_facto_2019.out_of_contact_months", "事实无人抚养:失联期限(以上)", "个月"),
        ParameterSpec("temporary_hardship.default_months", "临时困境未填解除日期时的期限", "个月"),
        ParameterSpec("severe_disability.max_grade", "重度残疾等级(含)以内", "级"),
        *(
            ParameterSpec(
                f"rehabilitation.training_max_age.{kind}", f"{label}康复训练年龄上限(含)", "周岁"
            )
            for kind, label in REHABILITATION_KINDS
        ),
        *(
            ParameterSpec(
                f"rehabilitation.training_yearly.{kind}", f"{label}康复训练救助标准", "元/年"
            )
            for kind, label in REHABILITATION_KINDS
        ),
        ParameterSpec("rehabilitation.limb_surgery_max_age", "肢体矫治手术年龄上限(含)", "周岁"),
        ParameterSpec(
            "rehabilitation.cochlear_implant_max_age", "人工耳蜗手术年龄上限(含)", "周岁"
        ),
        ParameterSpec("rehabilitation.limb_surgery_once", "肢体矫治手术救助标准(一次性)", "元"),
        ParameterSpec("rehabilitation.cochlear_implant_once", "人工耳蜗手术救助标准(一次性)", "元"),
        ParameterSpec("orphan_allowance.monthly", "孤儿基本生活费标准", "元/月"),
        ParameterSpec("tekun_support.monthly", "特困人员基本生活标准", "元/月"),
        ParameterSpec("dibao.standard_monthly.urban", "城市低保标准", "元/月"),
        ParameterSpec("dibao.standard_monthly.rural", "农村低保标准", "元/月"),
        ParameterSpec("dibao.child_supplement_monthly", "低保家庭儿童增发", "元/月"),
        ParameterSpec("disability_living_subsidy.monthly", "困难残疾人生活补贴标准", "元/月"),
        ParameterSpec("disability_care_subsidy.monthly", "重度残疾人护理补贴标准", "元/月"),
    ]
}


@dataclass(frozen=True)
class ParameterRow:
    name: str
    area_code: str
    effective_from: date
    effective_to: date | None
    value: Decimal

    def covers(self, division_code: str, on: date) -> bool:
        return (
            division_code.startswith(self.area_code)
            and self.effective_from <= on
            and (self.effective_to is None or on <= self.effective_to)
        )


class Params:
    """The parameter values in force for one area on one day."""

    __slots__ = ("division_code", "on", "values", "starts", "_whole")

    def __init__(
        self,
        division_code: str,
        on: date,
        values: Mapping[str, Decimal],
        starts: Mapping[str, date] | None = None,
    ):
        self.division_code = division_code
        self.on = on
        self.values = dict(values)
        # The day the row in force took effect, per name: a rule version cites it as its start.
        self.starts = dict(starts or {})
        self._whole = {name: int(value) for name, value in self.values.items()}

    def get(self, name: str) -> Decimal | None:
        return self.values.get(name)

    def whole(self, name: str) -> int | None:
        return self._whole.get(name)

    def amount(self, name: str) -> str:
        """'17000 元/年' for a reason, or '' when no area has set this amount."""
        value = self.values.get(name)
        if value is None:
            return ""
        number = f"{value:.2f}".rstrip("0").rstrip(".")
        return f"{number} {SPECS[name].unit}"


class ParameterBook:
    """All parameter rows, resolving the values in force for an area on a day (cached)."""

    def __init__(self, rows: Iterable[ParameterRow]):
        by_name: dict[str, list[ParameterRow]] = {}
        for row in rows:
            by_name.setdefault(row.name, []).append(row)
        # Most specific area first, then the latest start: the first row that covers wins.
        self._by_name = {
            name: sorted(rows, key=lambda r: (len(r.area_code), r.effective_from), reverse=True)
            for name, rows in by_name.items()
        }
        self._cache: dict[tuple[str, date], Params] = {}

    def row(self, name: str, division_code: str, on: date) -> ParameterRow | None:
        for row in self._by_name.get(name, ()):
            if row.covers(division_code, on):
                return row
        return None

    def value(self, name: str, division_code: str, on: date) -> Decimal | None:
        row = self.row(name, division_code, on)
        return row.value if row is not None else None

    def params(self, division_code: str, on: date) -> Params:
        key = (division_code, on)
        found = self._cache.get(key)
        if found is None:
            values, starts = {}, {}
            for name in self._by_name:
                row = self.row(name, division_code, on)
                if row is not None:
                    values[name] = row.value
                    starts[name] = row.effective_from
            found = self._cache[key] = Params(division_code, on, values, starts)
        return found


def area_prefixes(division_code: str) -> list[str]:
    """'' (national), province, city, county, township and village prefixes of a code."""
    return ["", *(division_code[:n] for n in (2, 4, 6, 9, 12) if n <= len(division_code))]


def book_load(division_code: str = "") -> ParameterBook:
    """The rows that can apply inside `division_code` ('' = everywhere)."""
    from guanai.rules.models import RuleParameter

    rows = RuleParameter.objects.all()
    if division_code:
        # Rows of areas above the node, and of areas inside it.
        rows = rows.filter(
            Q(area_code__in=area_prefixes(division_code)) | Q(area_code__startswith=division_code)
        )
    return ParameterBook(
        ParameterRow(r.name, r.area_code, r.effective_from, r.effective_to, r.value)
        for r in rows.only("name", "area_code", "effective_from", "effective_to", "value")
    )


def check_parameter(name: str, area_code: str, effective_from: date, effective_to: date | None):
    if name not in SPECS:
        raise DomainError(_("没有名为 %(name)s 的规则参数"), field="name", name=name)
    if area_code and (not area_code.isdigit() or len(area_code) not in (2, 4, 6, 9, 12)):
        raise DomainError(
            _("适用区划应为 2、4、6、9 或 12 位区划代码前缀,全国留空"), field="area_code"
        )
    if effective_to is not None and effective_to < effective_from:
        raise DomainError(_("截止日期不能早于起始日期"), field="effective_to")
