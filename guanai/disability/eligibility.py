"""Who may receive rehabilitation assistance (seed 004 篇10), as a pure function with its reason.

Residence: the county's household registration, a temporary registration or a residence permit
in the county. Ages, in full years on the day of application, bounds included: limb
disability 0-7 (limb correction surgery up to 17); vision, hearing, speech, intellectual,
autism 0-14; cochlear implant surgery up to 6. Training, early intervention and devices follow
the age of the child's category (the seed gives no other age for them).
"""

from dataclasses import dataclass
from datetime import date

from guanai.disability.models import DEVICE_CATEGORY, REHAB_CATEGORIES, Kind, Residence
from guanai.registry.choices import DisabilityCategory

CATEGORY_MAX_AGE = {
    DisabilityCategory.LIMB: 7,
    DisabilityCategory.VISION: 14,
    DisabilityCategory.HEARING: 14,
    DisabilityCategory.SPEECH: 14,
    DisabilityCategory.INTELLECTUAL: 14,
    DisabilityCategory.AUTISM: 14,
}
LIMB_SURGERY_MAX_AGE = 17
COCHLEAR_IMPLANT_MAX_AGE = 6


@dataclass(frozen=True)
class Facts:
    birth_date: date
    category: str  # the disability to be rehabilitated
    kind: str
    residence: str
    hukou_in_county: (
        bool  # the household's registration is in the county (or not recorded elsewhere)
    )
    device: str = ""


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str  # the rule, in words
    field: str | None = None  # the application's field the refusal is about


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _label(category: str) -> str:
    return (
        str(DisabilityCategory(category).label)
        if category in DisabilityCategory.values
        else category
    )


def max_age(kind: str, category: str) -> int | None:
    if kind == Kind.LIMB_SURGERY:
        return LIMB_SURGERY_MAX_AGE
    if kind == Kind.COCHLEAR_IMPLANT:
        return COCHLEAR_IMPLANT_MAX_AGE
    return (
        CATEGORY_MAX_AGE.get(DisabilityCategory(category)) if category in CATEGORY_MAX_AGE else None
    )


def _rule(kind: str, category: str, limit: int) -> str:
    if kind == Kind.LIMB_SURGERY:
        return f"肢体矫治手术救助对象为 0-{limit} 岁儿童"
    if kind == Kind.COCHLEAR_IMPLANT:
        return f"人工耳蜗植入手术救助对象为 0-{limit} 岁儿童"
    return f"{_label(category)}儿童{Kind(kind).label}救助对象为 0-{limit} 岁"


def check(facts: Facts, day: date) -> Eligibility:
    """Whether the application meets the rules on `day`, and why, in words."""
    kind, category = facts.kind, facts.category
    if kind not in Kind.values:
        return Eligibility(False, "请选择救助项目", "kind")
    if kind == Kind.COCHLEAR_IMPLANT and category != DisabilityCategory.HEARING:
        return Eligibility(False, "人工耳蜗植入手术只救助听力残疾儿童", "category")
    if kind == Kind.LIMB_SURGERY and category != DisabilityCategory.LIMB:
        return Eligibility(False, "肢体矫治手术只救助肢体残疾儿童", "category")
    if kind == Kind.DEVICE:
        if facts.device not in DEVICE_CATEGORY:
            return Eligibility(False, "请选择辅助器具", "device")
        if DEVICE_CATEGORY[facts.device] != category:  # type: ignore[index]
            wanted = _label(DEVICE_CATEGORY[facts.device])  # type: ignore[index]
            return Eligibility(False, f"该辅助器具适配救助对象为{wanted}儿童", "category")
    if category not in REHAB_CATEGORIES:
        return Eligibility(
            False, f"{_label(category) or '该类别'}不在康复救助的残疾类别内", "category"
        )
    if facts.residence not in Residence.values:
        return Eligibility(False, "须具有本县户籍,或持本县暂住登记或居住证", "residence")
    if facts.residence == Residence.HOUSEHOLD and not facts.hukou_in_county:
        return Eligibility(
            False,
            "户籍不在本县:须具有本县户籍,或持本县暂住登记或居住证",
            "residence",
        )
    limit = max_age(kind, category)
    age = age_on(facts.birth_date, day)
    rule = _rule(kind, category, limit or 0)
    if age < 0:
        return Eligibility(False, "出生日期晚于申请日期", "applied_on")
    if limit is not None and age > limit:
        return Eligibility(False, f"申请时 {age} 岁,不符合年龄条件:{rule}", "child")
    residence = str(Residence(facts.residence).label)
    return Eligibility(True, f"{residence};申请时 {age} 岁,符合{rule}的条件")
