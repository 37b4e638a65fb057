"""National rule parameters (guanai/rules/defaults.py): ages, durations, rehabilitation standards."""

from django.db import migrations


def load(apps, schema_editor):
    from guanai.rules.defaults import NATIONAL_DEFAULTS, NATIONAL_FROM

    RuleParameter = apps.get_model("rules", "RuleParameter")
    for name, value, note in NATIONAL_DEFAULTS:
        RuleParameter.objects.update_or_create(
            name=name,
            area_code="",
            effective_from=NATIONAL_FROM,
            defaults={"value": value, "note": note},
        )


def unload(apps, schema_editor):
    from guanai.rules.defaults import NATIONAL_DEFAULTS, NATIONAL_FROM

    RuleParameter = apps.get_model("rules", "RuleParameter")
    RuleParameter.objects.filter(
        area_code="",
        effective_from=NATIONAL_FROM,
        name__in=[name for name, _, _ in NATIONAL_DEFAULTS],
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
