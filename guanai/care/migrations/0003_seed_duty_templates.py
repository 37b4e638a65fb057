"""Duty templates from DOMAIN.md's "Care duties" table (the seeds' text wins)."""

from django.db import migrations

MOTHERS = ["caring_mother", "proxy_parent"]
TEACHER_FIRST = ["class_teacher", "caring_mother", "proxy_parent"]
DIRECTOR_FIRST = ["child_director", "caring_mother", "proxy_parent"]

# code, name, activity, frequency, carer_kinds, one_per_child, condition, per_child, source
DUTIES = [
    ("wuge_visit", "五个一:到儿童家中走访", "home_visit", "term", MOTHERS, False, "any", True, "seed 002 篇4"),
    ("wuge_talk", "五个一:与儿童谈心", "talk", "term", MOTHERS, False, "any", True, "seed 002 篇4"),
    ("wuge_teacher", "五个一:与班主任联系", "teacher_contact", "term", MOTHERS, False, "any", True, "seed 002 篇4"),
    ("wuge_guardian", "五个一:与监护人沟通", "guardian_contact", "term", MOTHERS, False, "any", True, "seed 002 篇4"),
    ("wuge_letter", "五个一:给儿童写信", "letter", "term", MOTHERS, False, "any", True, "seed 002 篇4"),
    ("mother_talk", "爱心妈妈每月谈心(学习、生活、情绪、交友、身体)", "talk", "monthly", ["caring_mother"], False, "any", True, "seed 000 篇8"),
    ("counsellor_visit", "爱心辅导员走访并填写走访记录", "home_visit", "twice_monthly", ["counsellor"], False, "any", True, "seed 003 篇七"),
    ("teacher_talk", "班主任每月谈心并填写谈心记录卡", "talk", "monthly", ["class_teacher"], False, "any", True, "seed 002 篇7, seed 003 篇一"),
    ("teacher_home_visit", "班主任家访(期初、期中、期末)", "home_visit", "term_thirds", ["class_teacher"], False, "any", True, "seed 003 篇一"),
    ("parent_contact", "指导儿童给父母写信或通话", "parent_contact", "monthly", TEACHER_FIRST, True, "left_behind", True, "seed 003 篇一"),
    ("temp_guardian", "与临时监护人沟通", "temp_guardian_contact", "monthly", TEACHER_FIRST, True, "left_behind", True, "seed 003 篇一"),
    ("lecture", "法制、安全、心理健康教育讲座", "lecture", "yearly", DIRECTOR_FIRST, True, "any", True, "seed 000 篇8"),
    ("health_check", "免费健康体检", "health_check", "yearly", DIRECTOR_FIRST, True, "any", True, "seed 000 篇8"),
    ("womens_fed_report", "向妇联季度报告工作开展情况", "report", "quarterly", ["child_director"], False, "any", False, "seed 002 篇4"),
    ("yearly_evaluation", "年度考评", "report", "yearly", ["child_director"], False, "any", False, "seed 002 篇4"),
]


def seed(apps, schema_editor):
    DutyTemplate = apps.get_model("care", "DutyTemplate")
    for order, (code, name, activity, frequency, kinds, one, condition, per_child, source) in enumerate(DUTIES):
        DutyTemplate.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "activity": activity,
                "frequency": frequency,
                "carer_kinds": kinds,
                "one_per_child": one,
                "condition": condition,
                "per_child": per_child,
                "source": source,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("care", "DutyTemplate").objects.filter(code__in=[d[0] for d in DUTIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0002_pairing_terms_duties")]
    operations = [migrations.RunPython(seed, unseed)]
