"""The children list's age-band and missing-guardian filters (the statistics link to them)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from guanai.registry.models import Guardian
from guanai.registry.selectors import age_q
from guanai.testing.factories import child_build


def names(response) -> set[str]:
    return {c.name for c in response.context["page"].object_list}


def test_age_q_counts_completed_years():
    on = date(2026, 11, 23)
    q = age_q(on, 3, 5)
    assert dict(q.children) == {
        "birth_date__lte": date(2023, 11, 23),
        "birth_date__gt": date(2020, 11, 23),
    }


def test_it_lists_an_age_band(login, users, place):
    today = timezone.localdate()
    child_build(place.village_a, "小小", birth=today.replace(year=today.year - 1, day=1))
    child_build(place.village_a, "大大", birth=date(today.year - 13, 1, 1))
    response = login(users["director_a"]).get(reverse("registry:child_list"), {"age_band": "0-2"})
    assert names(response) == {"小小"}


def test_it_lists_files_without_a_guardian(login, users, place):
    with_guardian = child_build(place.village_a, "有监护")
    Guardian.objects.create(child=with_guardian, name="张父", relation="father")
    child_build(place.village_a, "无监护")
    response = login(users["director_a"]).get(
        reverse("registry:child_list"), {"missing_guardian": "on"}
    )
    assert names(response) == {"无监护"}
