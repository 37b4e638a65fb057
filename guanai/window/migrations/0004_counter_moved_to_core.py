"""Application and referral numbers are counted by core's Counter (series "window.application"
and "window.referral"; the old referral rows were keyed "county+Z"): the counts so far are
carried over, then the window's own counter goes, in one transaction (a failure leaves both as
they were). Backwards, the counts are carried back."""

from django.db import migrations

APPLICATIONS = "window.application"
REFERRALS = "window.referral"


def forwards(apps, schema_editor):
    ApplicationCounter = apps.get_model("window", "ApplicationCounter")
    Counter = apps.get_model("core", "Counter")
    for old in ApplicationCounter.objects.all():
        referrals = old.county_code.endswith("Z")
        counter, _ = Counter.objects.get_or_create(
            series=REFERRALS if referrals else APPLICATIONS,
            county_code=old.county_code.removesuffix("Z"),
            year=old.year,
        )
        counter.last = max(counter.last, old.last)
        counter.save(update_fields=["last"])


def backwards(apps, schema_editor):
    ApplicationCounter = apps.get_model("window", "ApplicationCounter")
    Counter = apps.get_model("core", "Counter")
    series = {APPLICATIONS: "", REFERRALS: "Z"}
    for counter in Counter.objects.filter(series__in=series):
        ApplicationCounter.objects.update_or_create(
            county_code=counter.county_code + series[counter.series],
            year=counter.year,
            defaults={"last": counter.last},
        )
    Counter.objects.filter(series__in=series).delete()


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("core", "0001_counter"),
        ("window", "0003_counter_code_with_series"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ApplicationCounter"),
    ]
