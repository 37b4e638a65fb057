"""The file's PDF carries the categories and benefits with their reasons (issue 18.3)."""

import pytest
from django.utils import timezone

from guanai.registry.reports import child_pdf_html
from guanai.rules.services import child_evaluate
from guanai.rules.tests.factories import left_behind_build

pytestmark = pytest.mark.django_db


def test_the_pdf_lists_the_categories_with_their_reasons(users, place):
    child = left_behind_build(place.village_a)
    child_evaluate(child)
    html = child_pdf_html(users["director_a"], child, reveal=False, printed_at=timezone.now())
    assert "儿童类别与保障待遇" in html and "留守儿童" in html
    assert "广东省东莞市" in html  # the reason: where the parents work
    outsider_section = child_pdf_html(
        users["department"], child, reveal=False, printed_at=timezone.now()
    )
    assert "留守儿童" in outsider_section and "广东省东莞市" not in outsider_section
