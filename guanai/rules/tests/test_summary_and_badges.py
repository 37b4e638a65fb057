"""What the rules add to the file's summary card and to the children list (issue 18.3)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanai.care.tests.conftest import make_left_behind
from guanai.registry.presenters import age_on
from guanai.testing.factories import child_build


@pytest.mark.django_db
class TestSummaryCard:
    def test_the_file_opens_with_the_categories_and_their_reasons(self, login, users, children):
        make_left_behind(children["a"])
        body = (
            login(users["director_a"])
            .get(reverse("registry:child_detail", args=[children["a"].pk]))
            .content.decode()
        )
        card = body.split('id="summary"', 1)[1].split("</section>", 1)[0]
        assert body.index('id="summary"') < body.index('id="file-sections"')
        assert "儿童类别" in card and 'class="badge badge-blue">留守儿童<' in card
        assert "留守儿童:" in card and "外出务工" in card  # the reason
        assert "保障待遇" in card
        age = age_on(children["a"].birth_date, timezone.localdate())
        assert f"{age} 岁 · 男" in card

    def test_roles_without_reasons_see_the_category_only(self, login, users, children):
        make_left_behind(children["a"])
        body = login(users["department"]).get(
            reverse("registry:child_detail", args=[children["a"].pk])
        )
        if body.status_code != 200:
            pytest.skip("the department does not open files")
        card = body.content.decode().split('id="summary"', 1)[1].split("</section>", 1)[0]
        assert ">留守儿童<" in card
        assert "外出务工" not in card and "保障待遇" not in card

    def test_an_outsider_gets_no_card(self, login, users, children):
        make_left_behind(children["b"])
        url = reverse("registry:child_detail", args=[children["b"].pk])
        assert login(users["director_a"]).get(url).status_code == 404


@pytest.mark.django_db
class TestListBadges:
    def list_page(self, client):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("registry:child_list")).content.decode()
        self.last = "\n".join(q["sql"][:150] for q in queries.captured_queries)
        return body, len(queries)

    def test_categories_show_as_badges_in_a_fixed_number_of_queries(
        self, login, users, place, children
    ):
        client = login(users["director_a"])
        make_left_behind(children["a"])
        self.list_page(client)  # warm: the first request fills caches (content types, menu)
        body, few = self.list_page(client)
        assert body.count('badge-blue">留守儿童<') == 1
        for n in range(6):
            make_left_behind(
                child_build(place.village_a, f"张小{'一二三四五六'[n]}", birth=date(2014, 1, n + 1))
            )
        body, many = self.list_page(client)
        assert body.count('badge-blue">留守儿童<') == 7
        assert many == few, self.last  # no query per row

    def test_the_filters_sit_behind_a_button(self, login, users, children):
        body = login(users["director_a"]).get(reverse("registry:child_list")).content.decode()
        assert '<details class="list-filters">' in body and '<summary class="btn">筛选' in body
        filtered = login(users["director_a"]).get(
            reverse("registry:child_list"), {"category": "left_behind"}
        )
        assert '<details class="list-filters" open>' in filtered.content.decode()
