"""National defaults (issue 16): the 2026 holiday calendar with its 调休 make-up working days,
and the kinds of help with their checklists. A county edits its own rows (area = county code).

The 2026 days follow the State Council's notice on the 2026 holidays as recalled when this was
written; check them against the published notice (docs/decisions/0014-window-referrals.md).
"""

from datetime import date, timedelta

from django.db import migrations


def _span(start: date, days: int, words: str) -> list[tuple[date, bool, str]]:
    return [(start + timedelta(days=n), False, words) for n in range(days)]


CALENDAR_2026 = [
    *_span(date(2026, 1, 1), 3, "元旦"),
    (date(2026, 1, 4), True, "元旦调休上班"),
    (date(2026, 2, 14), True, "春节调休上班"),
    *_span(date(2026, 2, 15), 9, "春节"),
    (date(2026, 2, 28), True, "春节调休上班"),
    *_span(date(2026, 4, 4), 3, "清明节"),
    *_span(date(2026, 5, 1), 5, "劳动节"),
    (date(2026, 5, 9), True, "劳动节调休上班"),
    *_span(date(2026, 6, 19), 3, "端午节"),
    (date(2026, 9, 20), True, "国庆节调休上班"),
    *_span(date(2026, 9, 25), 3, "中秋节"),
    *_span(date(2026, 10, 1), 7, "国庆节"),
    (date(2026, 10, 10), True, "国庆节调休上班"),
]

COMMON = [("申请书", True), ("儿童户口簿或居民身份证", True), ("监护人或申请人身份证", True)]
KINDS = [
    # code, name, department, limit (working days), extra checklist lines (name, required)
    ("orphan_allowance", "孤儿基本生活费", "civil_affairs", 20, [("父母死亡证明或宣告死亡判决书", True)]),
    (
        "unsupported_allowance",
        "事实无人抚养儿童基本生活补贴",
        "civil_affairs",
        20,
        [("父母重残、重病、服刑、失联等情形的证明", True)],
    ),
    ("minimum_living", "最低生活保障", "civil_affairs", 20, [("家庭收入和财产情况说明", True)]),
    ("school_aid", "教育资助", "education", 15, [("学籍证明或在校证明", True)]),
    ("medical_aid", "医疗救助", "health", 15, [("诊断证明和医疗费用票据", True)]),
    ("rehabilitation", "残疾儿童康复救助", "disabled_federation", 20, [("残疾证或医疗机构诊断证明", True)]),
    ("temporary_guardian", "临时监护", "civil_affairs", 10, [("监护缺失情况说明", False)]),
    ("legal_aid", "法律援助", "justice", 10, [("案件或纠纷情况材料", False)]),
    ("counselling", "心理疏导", "health", 10, []),
    ("household_registration", "无户口儿童落户", "public_security", 20, [("出生医学证明", False), ("亲子关系证明", False)]),
]


def add(apps, schema_editor):
    calendar = apps.get_model("window", "HolidayCalendar")
    kind_model = apps.get_model("window", "HelpKind")
    requirement = apps.get_model("window", "DocumentRequirement")
    for day, workday, words in CALENDAR_2026:
        calendar.objects.get_or_create(
            area="", day=day, defaults={"is_workday": workday, "words": words}
        )
    for order, (code, name, department, limit, extra) in enumerate(KINDS):
        kind, created = kind_model.objects.get_or_create(
            area="",
            code=code,
            defaults={"name": name, "department": department, "limit_days": limit, "order": order},
        )
        if created:
            for n, (line, required) in enumerate(COMMON + extra):
                requirement.objects.create(kind=kind, name=line, required=required, order=n)


def remove(apps, schema_editor):
    apps.get_model("window", "HolidayCalendar").objects.filter(area="").delete()
    apps.get_model("window", "HelpKind").objects.filter(area="").delete()


class Migration(migrations.Migration):
    dependencies = [("window", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
