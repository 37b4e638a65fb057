"""Case numbers are counted by core's Counter (series "protection.case"): the counts so far are
carried over, then protection's own counter goes, in one transaction (a failure leaves both as
they were). Backwards, the counts are carried back."""

from django.db import migrations

SERIES = "protection.case"


def forwards(apps, schema_editor):
    CaseCounter = apps.get_model("protection", "CaseCounter")
    Counter = apps.get_model("core", "Counter")
    for old in CaseCounter.objects.all():
        counter, _ = Counter.objects.get_or_create(
            series=SERIES, county_code=old.county_code, year=old.year
        )
        counter.last = max(counter.last, old.last)
        counter.save(update_fields=["last"])


def backwards(apps, schema_editor):
    CaseCounter = apps.get_model("protection", "CaseCounter")
    Counter = apps.get_model("core", "Counter")
    for counter in Counter.objects.filter(series=SERIES):
        CaseCounter.objects.update_or_create(
            county_code=counter.county_code, year=counter.year, defaults={"last": counter.last}
        )
    Counter.objects.filter(series=SERIES).delete()


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("core", "0001_counter"),
        ("protection", "0002_national_clocks"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="CaseCounter"),
    ]
