"""What care adds to the file's summary card: the carer, the next due duty, open flags."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.care.due import due_items_materialise
from guanai.care.models import DueItem, DueStatus, Pairing
from guanai.care.services import terms_set_standard
from guanai.care.testing import care_objects_for, pairing_build
from guanai.care.tests.conftest import make_left_behind


def card(client, child) -> str:
    body = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    return body.split('id="summary"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_the_card_names_the_carer_and_the_next_due_duty(login, users, place, children):
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        terms_set_standard(actor=None, county=place.county, year=year)
    child = make_left_behind(children["a"])
    pairing_build(child, users["carer_a"])
    due_items_materialise(start=today - timedelta(days=60), end=today + timedelta(days=60))
    first = (
        DueItem.objects.filter(child=child, status=DueStatus.OPEN, period_start__lte=today)
        .order_by("due_date", "id")
        .select_related("template")
        .first()
    )
    assert first is not None
    shown = card(login(users["director_a"]), child)
    assert "结对人" in shown and "carer_a" in shown
    assert "下一项关爱任务" in shown and first.template.name in shown
    assert f"{first.due_date:%Y-%m-%d} 前" in shown


@pytest.mark.django_db
def test_an_unpaired_child_says_so_and_open_flags_are_counted(login, users, children):
    assert "尚未结对" in card(login(users["director_a"]), children["a"])
    made = care_objects_for(children["a"])  # a pairing and a record with an open flag
    shown = card(login(users["supervisor_1"]), children["a"])
    assert "待处理的问题上报" in shown and "1 项" in shown
    carer = Pairing.objects.get(pk=made["pairing_pk"]).carer  # sees the file, not the flags
    shown = card(login(carer), children["a"])
    assert carer.display_name in shown and "待处理的问题上报" not in shown
