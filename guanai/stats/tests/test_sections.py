"""A new app's section reaches the dashboard, the table of nodes below and the reports through
registry/extensions.py alone: stats is not told about it."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from openpyxl import load_workbook

from guanai.accounts.scoping import within
from guanai.registry import extensions
from guanai.registry.extensions import (
    ChildListFilter,
    Columns,
    Figure,
    FigureSection,
    NodeCounts,
    counted,
)
from guanai.registry.models import Child
from guanai.stats.jobs import report_run
from guanai.stats.models import ReportJob
from guanai.stats.testing import report_job_build


def girls_counts(area, length, days, counts) -> None:
    girls = within(area, Child.objects.filter(is_active=True, sex="F"))
    extensions.add_rows(
        counts, extensions.grouped(girls, length).annotate(girls=Count("id")), ["girls"]
    )


GIRLS = FigureSection(
    key="girls",
    order=55,  # after care (50), before the benefits (60)
    title="女童(测试)",
    figures=lambda c, link: [
        Figure("girls", "在册女童", c["girls"], "在册儿童中的女童", link(sex="F"))
    ],
    breakdown=(counted("在册女童", "girls"),),
    quarterly=Columns((counted("在册女童", "girls"),), note="在册女童按期末日统计。"),
)


@pytest.fixture
def girls(monkeypatch):
    """The fake app's counts, list filter and section, registered for one test, gone after it."""
    cache.clear()  # the dashboard keeps a node's counts for a while
    sex = ChildListFilter("sex", "性别", lambda: [("F", "女")], lambda value: Q(sex=value))
    monkeypatch.setitem(extensions._filters, "sex", sex)
    monkeypatch.setitem(extensions._counts, "girls", NodeCounts(key="girls", count=girls_counts))
    monkeypatch.setitem(extensions._sections, "girls", GIRLS)


def test_a_registered_section_shows_on_the_dashboard_in_its_place(girls, login, users, children):
    body = login(users["supervisor_1"]).get(reverse("stats:dashboard")).content.decode()
    titles = [line[4:-5] for line in body.splitlines() if line.startswith("<h2>")]
    assert titles[:7] == [
        "儿童",
        "年龄段",
        "建档",
        "人员配备",
        "关爱服务",
        "女童(测试)",
        "保障待遇",
    ]
    assert 'id="fig-girls"' in body and "口径:在册儿童中的女童" in body
    assert "/children/?sex=F" in body  # the supervisor's own node: no ?division=
    listed = login(users["supervisor_1"]).get("/children/?sex=F").content.decode()
    assert "李小红" in listed and "张小明" not in listed
    assert '<th class="num">在册女童</th>' in body
    assert '<td data-label="在册女童" class="num">1</td>' in body  # 李小红 in village B


def test_a_registered_section_has_its_columns_in_the_quarterly_report(
    girls, login, users, place, children, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = report_job_build(place.township_1, users["supervisor_1"])
    report_run(job.pk)
    response = login(users["supervisor_1"]).get(reverse("stats:report_download", args=[job.pk]))
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    header = list(rows[1])
    at = header.index("在册女童")  # in its order: after care (50), before protection (70)
    assert header[at - 1] == "上报问题" and header[at + 1] == "在办个案"
    assert [(r[0], r[at]) for r in rows[2:5]] == [("东风村", 0), ("青石村", 1), ("合计(蒲亭镇)", 1)]
    assert ("在册女童按期末日统计。", *[None] * (len(header) - 1)) in rows
    assert ReportJob.objects.get().rows == 3


def test_without_the_section_stats_shows_nothing_of_it(login, users, children):
    cache.clear()
    body = login(users["supervisor_1"]).get(reverse("stats:dashboard")).content.decode()
    assert "女童(测试)" not in body and "在册女童" not in body
