"""民发〔2019〕62号's 失联 (6 months or more), nationally (rules/defaults.LATER_DEFAULTS); the
2019 definition itself is in force only where an area sets `de_facto_2019.in_force` from the
day its provincial rule took effect."""

from django.db import migrations

NAMES = ["de_facto_2019.out_of_contact_months"]


def load(apps, schema_editor):
    from guanai.rules.defaults import LATER_DEFAULTS

    RuleParameter = apps.get_model("rules", "RuleParameter")
    for name, value, note, since in LATER_DEFAULTS:
        if name in NAMES:
            RuleParameter.objects.update_or_create(
                name=name,
                area_code="",
                effective_from=since,
                defaults={"value": value, "note": note},
            )


def unload(apps, schema_editor):
    apps.get_model("rules", "RuleParameter").objects.filter(area_code="", name__in=NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_national_defaults")]
    operations = [migrations.RunPython(load, unload)]
