"""Dashboards: every node at or below the user's; outsiders' nodes answer 404."""

import pytest
from django.urls import reverse

from guanai.audit.models import AuditEvent
from guanai.stats.models import StatisticalBase


def test_it_shows_the_directors_village(login, users, children):
    response = login(users["director_a"]).get(reverse("stats:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "东风村 统计" in body and "口径" in body and "未填报应有儿童数" in body
    assert 'id="stats-data"' in body and "<script>" not in body.replace(
        'type="application/json"', ""
    )


def test_it_lets_a_county_officer_open_a_village(login, users, children, place):
    response = login(users["county"]).get(reverse("stats:node", args=[place.village_b.code]))
    assert response.status_code == 200
    assert "青石村 统计" in response.content.decode()


def test_it_links_figures_to_the_children_list(login, users, children, place):
    response = login(users["supervisor_1"]).get(reverse("stats:node", args=[place.village_b.code]))
    body = response.content.decode()
    assert f"/children/?division={place.village_b.pk}&amp;category=left_behind" in body


def test_township_page_lists_its_villages(login, users, children, place):
    body = login(users["supervisor_1"]).get(reverse("stats:dashboard")).content.decode()
    assert reverse("stats:node", args=[place.village_a.code]) in body
    assert reverse("stats:node", args=[place.village_b.code]) in body


@pytest.mark.parametrize(
    ("username", "node"),
    [("director_a", "village_b"), ("director_a", "township_1"), ("supervisor_2", "village_a")],
)
def test_it_hides_nodes_outside_the_users(login, users, place, username, node):
    code = getattr(place, node).code
    response = login(users[username]).get(reverse("stats:node", args=[code]))
    assert response.status_code == 404


def test_carers_see_no_statistics(login, users, place):
    assert login(users["carer_a"]).get(reverse("stats:dashboard")).status_code == 404


def test_menu_offers_statistics_to_staff_not_carers(login, users, place):
    assert "/stats/" in login(users["supervisor_1"]).get(reverse("home")).content.decode()
    assert "/stats/" not in login(users["carer_a"]).get(reverse("home")).content.decode()


def test_the_county_enters_expected_children(login, users, place, children):
    client = login(users["county"])
    url = reverse("stats:base_edit", args=[place.township_1.code])
    va, vb = place.village_a.pk, place.village_b.pk
    response = client.post(url, {"year": "2026", f"c_{va}": "4", f"l_{va}": "1"})
    assert response.status_code == 302
    assert StatisticalBase.objects.get(division=place.village_a, year=2026).children_expected == 4
    assert AuditEvent.objects.filter(object_type="stats.statisticalbase").count() == 1
    response = client.post(url, {"year": "2026", f"c_{vb}": "x", f"l_{vb}": "1"})
    assert not StatisticalBase.objects.filter(division=place.village_b).exists()


@pytest.mark.parametrize("bad", ["²", "9" * 30, "1000001", "-1"])
def test_a_count_that_is_no_whole_number_is_refused_with_the_village_named(
    login, users, place, bad
):
    client = login(users["county"])
    url = reverse("stats:base_edit", args=[place.township_1.code])
    va = place.village_a.pk
    for year in ("2026", "²", "9" * 30):
        response = client.post(url, {"year": year, f"c_{va}": bad, f"l_{va}": "1"}, follow=True)
        assert response.status_code == 200
        assert "东风村:请填写两个不超过 1000000 的非负整数" in response.content.decode()
    assert not StatisticalBase.objects.exists()


@pytest.mark.parametrize("username", ["supervisor_1", "director_a", "supervisor_2", "carer_a"])
def test_only_the_county_enters_expected_children(login, users, place, username):
    url = reverse("stats:base_edit", args=[place.township_1.code])
    response = login(users[username]).post(url, {f"c_{place.village_a.pk}": "4"})
    assert response.status_code == 404
    assert not StatisticalBase.objects.exists()


def test_a_supervisor_reads_the_expected_children(login, users, place):
    url = reverse("stats:base_edit", args=[place.village_a.code])
    body = login(users["supervisor_1"]).get(url).content.decode()
    assert "东风村" in body and "未填报" in body and 'type="number"' not in body


def test_age_and_guardian_figures_link_to_their_lists(login, users, children):
    body = login(users["director_a"]).get(reverse("stats:dashboard")).content.decode()
    assert "/children/?age_band=6-11" in body and "/children/?missing_guardian=on" in body
