"""Stored summaries equal a recount from the raw rows for every node, roll up as sums, serve the
dashboard when fresh, and follow changes at the next refresh."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import unscoped_area
from guanai.care.bulk import care_bulk
from guanai.geo.models import Division, Level
from guanai.registry.choices import InactiveReason
from guanai.registry.models import Child, Parent
from guanai.rules.services import child_evaluate, registry_evaluate
from guanai.stats.figures import SUB_LENGTH, figures_for, node_counts, trends_for
from guanai.stats.models import NodeSummary, StatisticalBase, SummaryRefresh
from guanai.stats.summaries import county_refresh, default_period, summaries_refresh
from guanai.stats.summary_store import stored_data

COUNTY = "360426"
OFFICER = User(username="officer", role=Role.ADMIN)


@pytest.fixture
def county(db) -> Division:
    today = timezone.localdate()
    call_command("seed", county_code=COUNTY, children=400, seed=3, today=str(today))
    registry_evaluate(as_of=today, division_code=COUNTY)
    care_bulk(county_code=COUNTY, year=today.year, today=today)
    return Division.objects.get(code=COUNTY)


def nodes() -> list[Division]:
    return list(Division.objects.filter(code__startswith=COUNTY).order_by("code"))


def live(node: Division) -> tuple[dict[str, Counter], dict]:
    today = timezone.localdate()
    area = unscoped_area(node.prefix, purpose="stats summaries")
    counts = node_counts(area, SUB_LENGTH[len(node.prefix)], today, default_period(today))
    # Zero counts are not stored: compare what is there.
    return {k: +c for k, c in counts.items() if +c}, trends_for(area, today)


def assert_summaries_equal_a_recount() -> None:
    today = timezone.localdate()
    for node in nodes():
        stored = stored_data(
            node.prefix, SUB_LENGTH[len(node.prefix)], today, default_period(today)
        )
        assert stored is not None, node
        counts, trends, _ = stored
        expected_counts, expected_trends = live(node)
        assert {k: +c for k, c in counts.items() if +c} == expected_counts, node
        if node.level in (Level.COUNTY, Level.TOWNSHIP):
            assert trends == expected_trends, node
        else:
            assert trends is None  # villages count their trends live


def test_every_node_equals_a_recount_and_rolls_up(county):
    assert summaries_refresh() == 1
    assert_summaries_equal_a_recount()
    today = timezone.localdate()
    county_total = sum(stored_data(COUNTY, 9, today, default_period(today))[0].values(), Counter())
    townships = Counter()
    for township in county.children.all():
        townships.update(
            sum(
                stored_data(township.prefix, 12, today, default_period(today))[0].values(),
                Counter(),
            )
        )
    assert county_total == townships
    assert county_total["children"] == 400


def test_the_dashboard_reads_the_fresh_summary_and_follows_a_change_at_the_next_refresh(county):
    today = timezone.localdate()
    live_figures = figures_for(OFFICER, county, today)
    summaries_refresh()
    with CaptureQueriesContext(connection) as queries:
        stored_figures = figures_for(OFFICER, county, today, use_cache=True)
    assert stored_figures.counts == live_figures.counts
    assert stored_figures.trends == live_figures.trends
    assert stored_figures.counted_at is not None and live_figures.counted_at is None
    assert len(queries) <= 4  # the refresh row, the summary rows, the townships below
    child = Child.objects.filter(is_active=True).order_by("id").first()
    Child.objects.filter(pk=child.pk).update(is_active=False, inactive_reason=InactiveReason.DEAD)
    child_evaluate(child)
    # Not refreshed within the minute: the dashboard still shows the stored counts.
    assert summaries_refresh(timezone.now() + timedelta(seconds=30)) == 0
    assert figures_for(OFFICER, county, today, use_cache=True).counts["children"] == 400
    assert summaries_refresh(timezone.now() + timedelta(seconds=61)) == 1
    assert figures_for(OFFICER, county, today, use_cache=True).counts["children"] == 399
    assert_summaries_equal_a_recount()


def test_a_stale_or_other_day_summary_is_not_used(county):
    today = timezone.localdate()
    summaries_refresh()
    assert stored_data(COUNTY, 9, today, default_period(today)) is not None
    assert stored_data(COUNTY, 9, today - timedelta(days=1), default_period(today)) is None
    SummaryRefresh.objects.update(refreshed_at=timezone.now() - timedelta(minutes=6))
    assert stored_data(COUNTY, 9, today, default_period(today)) is None


def test_only_changed_rows_are_written(county):
    summaries_refresh()
    rows = NodeSummary.objects.count()
    assert rows > 0
    assert county_refresh(county) == 0
    village = Division.objects.filter(level=Level.VILLAGE, code__startswith=COUNTY).first()
    StatisticalBase.objects.create(
        division=village,
        division_code=village.code,
        year=timezone.localdate().year,
        children_expected=30,
        left_behind_expected=5,
    )
    assert county_refresh(county) == 1  # that village's row only
    assert NodeSummary.objects.count() == rows


CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["close", "father_away", "mother_dead", "base"]), st.integers(0, 10_000)
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=CHANGES)
def test_summaries_equal_a_recount_after_any_changes(county, changes):
    summaries_refresh()
    with transaction.atomic():
        children = list(Child.objects.filter(is_active=True).order_by("id"))
        villages = list(Division.objects.filter(level=Level.VILLAGE, code__startswith=COUNTY))
        for kind, n in changes:
            child = children[n % len(children)]
            if kind == "close":
                Child.objects.filter(pk=child.pk).update(is_active=False)
            elif kind in ("father_away", "mother_dead"):
                role, status = (
                    ("father", "working_away")
                    if kind == "father_away"
                    else (
                        "mother",
                        "dead",
                    )
                )
                parent = getattr(child, role)
                if parent is not None:
                    Parent.objects.filter(pk=parent.pk).update(
                        status=status, status_since=date(2024, 1, 1)
                    )
            else:
                village = villages[n % len(villages)]
                StatisticalBase.objects.update_or_create(
                    division=village,
                    year=timezone.localdate().year,
                    defaults={
                        "division_code": village.code,
                        "children_expected": n % 50 + 1,
                        "left_behind_expected": n % 7,
                    },
                )
            child_evaluate(child)
        summaries_refresh(force=True)
        assert_summaries_equal_a_recount()
        transaction.set_rollback(True)


def _expected_home(node: Division) -> tuple[int, int, dict[str, tuple[int, int]]]:
    children = Child.objects.filter(is_active=True, division_code__startswith=node.prefix)
    below = {
        d.code: (
            children.filter(division_code__startswith=d.prefix).count(),
            children.filter(division_code__startswith=d.prefix, id_number=None).count(),
        )
        for d in node.children.all()
    }
    return children.count(), children.filter(id_number=None).count(), below


def _home(user: User) -> tuple[int, int, dict[str, tuple[int, int]]]:
    from guanai.registry.selectors import home_summary

    found = home_summary(user)
    below = {
        row["division"].code: (row["total"], row["missing_id"]) for row in found["by_division"]
    }
    return found["children"], found["missing_id"], below


def test_the_home_page_of_a_county_or_township_reads_the_fresh_summary(county):
    from guanai.registry.selectors import home_summary

    township = county.children.order_by("code").first()
    village = township.children.order_by("code").first()
    officer = User.objects.create(username="c", role=Role.CIVIL_AFFAIRS, division=county)
    supervisor = User.objects.create(username="s", role=Role.CHILD_SUPERVISOR, division=township)
    director = User.objects.create(username="d", role=Role.CHILD_DIRECTOR, division=village)
    Child.objects.filter(
        pk__in=Child.objects.filter(division_code__startswith=township.prefix)[:7]
    ).update(id_number=None)
    # No summary yet: counted live, the same figures.
    for user in (officer, supervisor, director):
        assert _home(user) == _expected_home(user.division)
        assert "counted_at" not in home_summary(user)
    summaries_refresh()
    for user in (officer, supervisor):
        with CaptureQueriesContext(connection) as queries:
            found = home_summary(user)
        assert found["counted_at"] is not None
        assert not any("registry_child" in q["sql"] for q in queries.captured_queries)
        assert _home(user) == _expected_home(user.division)
    assert found["missing_id"] >= 7  # the seven made above, and the seed's own
    # A file closed: the village counts it at once, the county at the next refresh.
    child = Child.objects.filter(is_active=True, division=village).order_by("id").first()
    before = home_summary(officer)["children"]
    Child.objects.filter(pk=child.pk).update(is_active=False, inactive_reason=InactiveReason.DEAD)
    assert _home(director) == _expected_home(village)
    assert home_summary(officer)["children"] == before
    summaries_refresh(timezone.now() + timedelta(seconds=61))
    assert home_summary(officer)["children"] == before - 1
    # A stale summary is not used.
    SummaryRefresh.objects.update(refreshed_at=timezone.now() - timedelta(minutes=6))
    assert "counted_at" not in home_summary(officer)
    assert _home(officer) == _expected_home(county)
