"""Due items: materialised in SQL, idempotent, agreeing with the pure schedule; matched to records."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from guanai.care.due import county_terms, due_items_materialise
from guanai.care.models import Activity, CarerKind, DueItem, DueStatus, DutyTemplate, Pairing
from guanai.care.schedules import schedule
from guanai.care.services import care_record_create, pairing_end, terms_set_standard
from guanai.care.testing import pairing_build, record_build
from guanai.care.tests.conftest import WINDOW, YEAR, make_left_behind
from guanai.registry.models import Child
from guanai.testing.factories import child_build, place_build, standard_users

START = date(YEAR - 1, 6, 1)


def codes(items) -> Counter:
    return Counter(i.template.code for i in items)


@pytest.mark.django_db
def test_a_caring_mother_owes_the_five_ones_each_term_and_a_monthly_talk(users, children, terms):
    pairing_build(children["a"], users["carer_a"], CarerKind.CARING_MOTHER, start_date=START)
    result = due_items_materialise(**WINDOW)
    items = DueItem.objects.filter(child=children["a"]).select_related("template")
    found = codes(items)
    # Spring and autumn term of the year, plus the autumn term of the year before (ends in Jan).
    assert found["wuge_visit"] == found["wuge_talk"] == found["wuge_letter"] == 3
    assert found["mother_talk"] == 12
    assert found["lecture"] == found["health_check"] == 1
    assert "parent_contact" not in found  # not left-behind
    assert "counsellor_visit" not in found
    assert result.inserted == items.count()
    # Idempotent: a second run adds nothing.
    assert due_items_materialise(**WINDOW).inserted == 0
    assert all(i.division_code == children["a"].division_code for i in items)


@pytest.mark.django_db
def test_a_counsellor_visits_twice_a_month(users, children, terms):
    pairing_build(children["a"], users["carer_a"], CarerKind.COUNSELLOR, start_date=START)
    due_items_materialise(**WINDOW)
    visits = DueItem.objects.filter(template__code="counsellor_visit")
    per_month = Counter(i.period_start.month for i in visits)
    assert per_month == {m: 2 for m in range(1, 13)}


@pytest.mark.django_db
def test_left_behind_duties_go_to_one_carer_only(users, children, terms):
    child = make_left_behind(children["a"])
    pairing_build(child, users["carer_a"], CarerKind.CARING_MOTHER, start_date=START)
    pairing_build(child, users["director_a"], CarerKind.CLASS_TEACHER, start_date=START)
    due_items_materialise(**WINDOW)
    contact = DueItem.objects.filter(template__code="parent_contact")
    assert contact.count() == 12
    # The template lists the class teacher first.
    assert set(contact.values_list("carer__username", flat=True)) == {"director_a"}
    assert (
        DueItem.objects.filter(template__code="temp_guardian", carer=users["carer_a"]).count() == 0
    )
    # The yearly duties fall to the caring mother (no child-director pairing).
    assert set(
        DueItem.objects.filter(template__code="health_check").values_list(
            "carer__username", flat=True
        )
    ) == {"carer_a"}


@pytest.mark.django_db
def test_a_record_fulfils_the_matching_open_items(users, children, terms):
    pairing = pairing_build(
        children["a"], users["carer_a"], CarerKind.CARING_MOTHER, start_date=START
    )
    due_items_materialise(**WINDOW)
    record = care_record_create(
        actor=users["carer_a"], child=children["a"], activity=Activity.TALK, day=date(YEAR, 3, 5)
    )
    done = DueItem.objects.filter(status=DueStatus.DONE)
    # The March monthly talk and the spring term's talk of the five ones.
    assert codes(done) == {"mother_talk": 1, "wuge_talk": 1}
    assert all(i.fulfilled_by == record and i.done_on == date(YEAR, 3, 5) for i in done)
    assert record.pairing == pairing


@pytest.mark.django_db
def test_records_made_before_their_items_existed_are_matched(users, children, terms):
    pairing = pairing_build(
        children["a"], users["carer_a"], CarerKind.CARING_MOTHER, start_date=START
    )
    record_build(pairing, date(YEAR, 4, 9), activity=Activity.HOME_VISIT)
    result = due_items_materialise(**WINDOW)
    assert result.fulfilled == 1
    item = DueItem.objects.get(status=DueStatus.DONE)
    assert item.template.code == "wuge_visit" and item.period_start == date(YEAR, 3, 1)


@pytest.mark.django_db
def test_ending_a_pairing_cancels_or_shortens_its_later_duties(users, children, terms):
    pairing = pairing_build(
        children["a"], users["carer_a"], CarerKind.CARING_MOTHER, start_date=START
    )
    due_items_materialise(**WINDOW)
    pairing_end(actor=users["director_a"], pairing=pairing, end_date=date(YEAR, 5, 20))
    talks = DueItem.objects.filter(template__code="mother_talk")
    # May: the pairing is in force on 16 May (mid-month), so May is owed, due on the 20th.
    may = talks.get(period_start=date(YEAR, 5, 1))
    assert may.status == DueStatus.OPEN and may.due_date == date(YEAR, 5, 20)
    assert talks.filter(status=DueStatus.CANCELLED).count() == 7  # June to December
    # The spring term (1 March - 10 July) has its middle on 20 May: owed, shortened.
    spring = DueItem.objects.get(template__code="wuge_visit", period_start=date(YEAR, 3, 1))
    assert spring.status == DueStatus.OPEN and spring.due_date == date(YEAR, 5, 20)


@pytest.mark.django_db
def test_a_closed_file_cancels_open_duties(users, children, terms):
    pairing_build(children["a"], users["carer_a"], CarerKind.CARING_MOTHER, start_date=START)
    due_items_materialise(**WINDOW)
    Child.objects.filter(pk=children["a"].pk).update(is_active=False, inactive_on=date(YEAR, 7, 1))
    assert due_items_materialise(**WINDOW).cancelled > 0
    assert not DueItem.objects.filter(
        status=DueStatus.OPEN, due_date__gte=date(YEAR, 7, 1)
    ).exists()


class SqlAgreesWithSchedule(TestCase):
    """For random pairing dates, the SQL materialiser gives exactly the pure schedule's periods."""

    @classmethod
    def setUpTestData(cls):
        cls.place = place_build()
        cls.users = standard_users(cls.place)
        cls.child = child_build(cls.place.village_a, "赵小燕")
        for year in (YEAR - 1, YEAR, YEAR + 1):
            terms_set_standard(actor=None, county=cls.place.county, year=year)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.generate],
    )
    @given(
        start=st.dates(min_value=date(YEAR - 1, 1, 1), max_value=date(YEAR, 12, 31)),
        length=st.one_of(st.none(), st.integers(0, 500)),
        kind=st.sampled_from(
            [CarerKind.CARING_MOTHER, CarerKind.COUNSELLOR, CarerKind.CLASS_TEACHER]
        ),
    )
    def test_it_agrees(self, start, length, kind):
        end = None if length is None else start + timedelta(days=length)
        DueItem.objects.all().delete()
        Pairing.objects.all().delete()
        pairing = pairing_build(
            self.child, self.users["carer_a"], kind, start_date=start, end_date=end
        )
        due_items_materialise(**WINDOW)
        terms = county_terms(self.place.county.code)
        for template in DutyTemplate.objects.filter(per_child=True, condition="any"):
            if kind not in template.carer_kinds:
                continue
            expected = schedule(
                template.frequency,
                window_start=WINDOW["start"],
                window_end=WINDOW["end"],
                pairing_start=pairing.start_date,
                pairing_end=pairing.end_date,
                terms=terms,
            )
            got = DueItem.objects.filter(template=template).order_by("period_start")
            assert [(i.period_start, i.period_end, i.due_date) for i in got] == [
                (p.start, p.end, p.end) for p in expected
            ], template.code
