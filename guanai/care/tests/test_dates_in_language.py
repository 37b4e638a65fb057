"""The week's dates follow the reader's language: 12月7日 in Chinese, December 7 in English."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone

from guanai.care.schedules import week_of

pytestmark = pytest.mark.django_db


def _week_line(client) -> str:
    body = client.get(reverse("care:my_week")).content.decode()
    return body.split('<p class="muted">', 1)[1].split("</p>", 1)[0]


def test_the_week_reads_as_before_in_chinese_and_in_words_in_english(login, users):
    week = week_of(timezone.localdate())
    client = login(users["carer_a"])
    assert _week_line(client) == (
        f"{week.start.month}月{week.start.day}日 – {week.end.month}月{week.end.day}日"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _week_line(client) == (
        f"{dateformat.format(week.start, 'F j')} – {dateformat.format(week.end, 'F j')}"
    )
