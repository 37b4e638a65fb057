"""The protection app's vocabularies: what happened, how it was learned, grades, steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    ABUSE = "abuse", _("虐待")
    NEGLECT = "neglect", _("忽视")
    ABANDONMENT = "abandonment", _("遗弃")
    DOMESTIC_VIOLENCE = "domestic_violence", _("家庭暴力")
    SEXUAL_HARM = "sexual_harm", _("性侵害")
    BULLYING = "bullying", _("欺凌")
    ACCIDENT = "accident", _("意外伤害")
    MISSING = "missing", _("走失/离家出走")
    SELF_HARM = "self_harm", _("自伤")
    GUARDIAN_UNABLE = "guardian_unable", _("监护人无力监护")
    OTHER = "other", _("其他")


# Harm from absent or improper guardianship (监护困境); the rest are sudden events (临时困境).
GUARDIANSHIP_KINDS = frozenset(
    {
        CaseKind.ABUSE,
        CaseKind.NEGLECT,
        CaseKind.ABANDONMENT,
        CaseKind.DOMESTIC_VIOLENCE,
        CaseKind.SEXUAL_HARM,
    }
)


class Channel(models.TextChoices):
    REPORT = "report", _("强制报告")
    HOTLINE = "hotline", _("热线来电")


class Source(models.TextChoices):
    VISIT = "visit", _("走访发现")
    SCHOOL = "school", _("学校发现")
    HOSPITAL = "hospital", _("医院接诊")
    POLICE = "police", _("公安接警")
    WOMENS_FEDERATION = "womens_federation", _("妇联")
    NEIGHBOUR = "neighbour", _("邻居/村民反映")
    FAMILY = "family", _("本人或家人求助")
    HOTLINE = "hotline", _("热线")
    CARE_RECORD = "care_record", _("关爱记录")
    OTHER = "other", _("其他")


class Grade(models.TextChoices):
    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")
    BLUE = "blue", _("蓝色")


GRADE_ORDER = [Grade.RED, Grade.ORANGE, Grade.YELLOW, Grade.BLUE]  # most urgent first


class CaseStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已结案")


class StepKind(models.TextChoices):
    VERIFY = "verify", _("现场核实")
    MEASURE = "measure", _("应急处置")
    ASSESSMENT = "assessment", _("评估")
    PLAN = "plan", _("帮扶计划")
    INTERVENTION = "intervention", _("监护干预")
    FOLLOW_UP = "follow_up", _("跟踪回访")
    NOTE = "note", _("工作记录")


class MeasureKind(models.TextChoices):
    TEMPORARY_CARE = "temporary_care", _("临时监护照料(福利或保护机构)")
    POLICE = "police", _("报警/公安处置")
    MEDICAL = "medical", _("送医救治")
    RELATIVES = "relatives", _("亲属临时照料")
    OTHER = "other", _("其他")


class InterventionKind(models.TextChoices):
    WARNING = "warning", _("批评教育/训诫")
    UNDERTAKING = "undertaking", _("书面保证")
    TEMPORARY_GUARDIAN = "temporary_guardian", _("委托临时监护")
    REVOKE = "revoke", _("申请撤销监护资格")


# The assessment's five areas, each scored 0 (no concern) to 3 (severe).
ASSESSMENT_AREAS = [
    ("safety", _("人身安全")),
    ("guardianship", _("监护状况")),
    ("health", _("身心健康")),
    ("schooling", _("就学情况")),
    ("needs", _("基本生活需要")),
]
