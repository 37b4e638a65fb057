from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    CATEGORY = "category", _("儿童类别")
    BENEFIT = "benefit", _("保障待遇")


class Category(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("留守儿童")
    MIGRANT = "migrant", _("流动儿童")
    FAMILY_DIFFICULTY = "family_difficulty", _("家庭困境儿童")
    OWN_DIFFICULTY = "own_difficulty", _("自身困境儿童")
    GUARDIANSHIP_DIFFICULTY = "guardianship_difficulty", _("监护困境儿童")
    TEMPORARY_DIFFICULTY = "temporary_difficulty", _("临时困境儿童")
    ORPHAN = "orphan", _("孤儿")
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported", _("事实无人抚养儿童")


class Benefit(models.TextChoices):
    ORPHAN_ALLOWANCE = "orphan_allowance", _("孤儿(事实无人抚养儿童)基本生活费")
    TEKUN_SUPPORT = "tekun_support", _("特困人员救助供养")
    DIBAO = "dibao", _("最低生活保障(低保)")
    TEMPORARY_ASSISTANCE = "temporary_assistance", _("临时救助")
    DISABILITY_LIVING_SUBSIDY = "disability_living_subsidy", _("困难残疾人生活补贴")
    DISABILITY_CARE_SUBSIDY = "disability_care_subsidy", _("重度残疾人护理补贴")
    MEDICAL_INSURANCE_FULL = "medical_insurance_full", _("居民医保个人缴费全额资助")
    MEDICAL_INSURANCE_SUBSIDY = "medical_insurance_subsidy", _("居民医保个人缴费补贴")
    EDUCATION_COMPULSORY = "education_compulsory", _("义务教育“两免一补”")
    EDUCATION_DISABLED_FREE = "education_disabled_free", _("困难家庭残疾儿童十二年免费教育")
    EDUCATION_SENIOR_WAIVER = "education_senior_waiver", _("普通高中免学杂费")
    REHABILITATION = "rehabilitation", _("残疾儿童康复救助")


# The four kinds of children in difficulty (困境儿童), seed 004 篇6.
DIFFICULTY_CATEGORIES = (
    Category.FAMILY_DIFFICULTY,
    Category.OWN_DIFFICULTY,
    Category.GUARDIANSHIP_DIFFICULTY,
    Category.TEMPORARY_DIFFICULTY,
)

# Badge colour of each category on pages (guanai.css .badge-*).
CATEGORY_BADGE = {
    Category.LEFT_BEHIND: "blue",
    Category.MIGRANT: "green",
    Category.FAMILY_DIFFICULTY: "orange",
    Category.OWN_DIFFICULTY: "orange",
    Category.GUARDIANSHIP_DIFFICULTY: "red",
    Category.TEMPORARY_DIFFICULTY: "yellow",
    Category.ORPHAN: "red",
    Category.DE_FACTO_UNSUPPORTED: "red",
}


def finding_label(kind: str, code: str) -> str:
    choices = Category if kind == FindingKind.CATEGORY else Benefit
    try:
        return choices(code).label
    except ValueError:
        return code


class HardshipKind(models.TextChoices):
    """What happened. The first four make a temporary difficulty, the last three a guardianship one."""

    SUDDEN_EVENT = "sudden_event", _("突发事件")
    ACCIDENT = "accident", _("意外伤害")
    SERIOUS_ILLNESS = "serious_illness", _("重大疾病")
    OTHER = "other", _("其他特殊困难")
    ABUSE = "abuse", _("遭受虐待")
    ABANDONMENT = "abandonment", _("被遗弃")
    GUARDIANSHIP_HARM = "guardianship_harm", _("因监护缺失或不当受到伤害、不法侵害")


TEMPORARY_HARDSHIPS = frozenset(
    {
        HardshipKind.SUDDEN_EVENT,
        HardshipKind.ACCIDENT,
        HardshipKind.SERIOUS_ILLNESS,
        HardshipKind.OTHER,
    }
)
GUARDIANSHIP_HARMS = frozenset(
    {HardshipKind.ABUSE, HardshipKind.ABANDONMENT, HardshipKind.GUARDIANSHIP_HARM}
)


class ChangeKind(models.TextChoices):
    STARTED = "started", _("新认定")
    ENDED = "ended", _("不再符合")
