"""The national standards of rehabilitation assistance (seed 004 篇10), as dated rows."""

from datetime import date
from decimal import Decimal

from django.db import migrations

FROM = date(2018, 10, 1)
TRAINING = {
    "vision": ("1000", None, None),
    "hearing": ("17000", 10, "1700"),
    "speech": ("17000", 10, "1700"),
    "limb": ("17000", 10, "1700"),
    "intellectual": ("17000", 10, "1700"),
    "autism": ("17000", 10, "1700"),
}
ROWS = [
    ("cochlear_implant", "", "once", "12000", None, None, "一次性,含调机"),
    ("limb_surgery", "", "once", "17200", None, None, "一次性"),
    *(
        ("training", item, "year", amount, months, cap, "每年;不足 10 个月每月不超过 1700 元" if cap else "每年")
        for item, (amount, months, cap) in TRAINING.items()
    ),
    ("early_intervention", "", "year", "24000", 10, "2400", "每年;不足 10 个月每月不超过 2400 元"),
    ("device", "hearing_aids", "once", "4800", None, None, "双耳数字式,含验配"),
    ("device", "prosthesis", "once", "5000", None, None, "假肢或矫形器"),
    *(
        ("device", item, "once", "1500", None, None, "")
        for item in ("wheelchair", "posture_chair", "standing_frame", "walker")
    ),
]


def load(apps, schema_editor):
    RehabStandard = apps.get_model("disability", "RehabStandard")
    RehabStandard.objects.bulk_create(
        [
            RehabStandard(
                effective_from=FROM,
                area_prefix="",
                kind=kind,
                item=item,
                basis=basis,
                amount=Decimal(amount),
                min_months=months,
                monthly_cap=Decimal(cap) if cap else None,
                note=note,
            )
            for kind, item, basis, amount, months, cap, note in ROWS
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("disability", "RehabStandard").objects.filter(
        effective_from=FROM, area_prefix=""
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("disability", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
