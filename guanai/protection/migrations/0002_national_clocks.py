"""The national default response clocks (issue 14): a county may add its own dated rows."""

from datetime import date

from django.db import migrations

CLOCKS = [
    # grade, respond hours, escalate hours after that, a measure needed, in words
    ("red", 24, 12, True, "24 小时内到场核实并决定应急措施"),
    ("orange", 72, 24, False, "72 小时内到场核实"),
    ("yellow", 7 * 24, 48, False, "7 天内到场核实"),
    ("blue", 30 * 24, 72, False, "30 天内结合日常走访核实"),
]


def add(apps, schema_editor):
    clock = apps.get_model("protection", "ResponseClock")
    for grade, respond, escalate, measure, words in CLOCKS:
        clock.objects.get_or_create(
            area="",
            grade=grade,
            effective_from=date(2020, 1, 1),
            defaults={
                "respond_hours": respond,
                "escalate_hours": escalate,
                "needs_measure": measure,
                "words": words,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("protection", "ResponseClock").objects.filter(area="").delete()


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
