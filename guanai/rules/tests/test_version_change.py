"""A newer rule version adopted by a county proposes what it newly finds in files already
evaluated; it counts once the director confirms it, not silently (issue 15.4)."""

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from guanai.accounts.scoping import area_for
from guanai.registry.extensions import CountPeriod
from guanai.rules.choices import ChangeKind, FindingKind
from guanai.rules.figures import finding_counts
from guanai.rules.models import ChildFinding, FindingChange
from guanai.rules.services import child_evaluate, finding_changes_confirm, rule_parameter_set
from guanai.rules.tests.factories import kid, parent_add

pytestmark = pytest.mark.django_db
DE_FACTO = "de_facto_unsupported"


def county_count(user, place, name: str) -> int:
    counts: dict[str, Counter] = defaultdict(Counter)
    today = timezone.localdate()
    finding_counts(area_for(user, place.county), 6, CountPeriod(today, today, today), counts)
    return counts[place.county.code][name]


@pytest.fixture
def dead_and_ill(place):
    """Father dead, mother seriously ill: not 事实无人抚养 by 国发〔2016〕36号, yes by 2019's."""
    child = kid(place.village_a, "王小草", birth=date(2016, 4, 1))
    parent_add(child, "father", "dead", status_since=date(2021, 5, 1))
    parent_add(child, "mother", "seriously_ill", status_since=date(2022, 1, 1))
    child_evaluate(child)  # evaluated before the county adopts the 2019 version: the baseline
    assert not ChildFinding.objects.filter(child=child, code=DE_FACTO).exists()
    return child


def adopt_2019(users, place):
    rule_parameter_set(
        actor=users["admin"],
        name="de_facto_2019.in_force",
        area_code=place.county.code,
        effective_from=date(2024, 7, 1),
        value=Decimal(1),
    )


def test_what_the_new_version_finds_is_proposed_and_counts_once_confirmed(
    users, place, dead_and_ill
):
    adopt_2019(users, place)
    child_evaluate(dead_and_ill)
    found = ChildFinding.objects.get(child=dead_and_ill, code=DE_FACTO, is_current=True)
    assert found.awaits_confirmation and found.pending_review
    assert found.started_on == date(2024, 7, 1)  # not before the county adopted the version
    change = FindingChange.objects.get(child=dead_and_ill, code=DE_FACTO, change=ChangeKind.STARTED)
    assert "按民发〔2019〕62号认定" in change.reason
    assert county_count(users["county"], place, f"cat:{DE_FACTO}") == 0
    assert county_count(users["county"], place, "review_pending") == 1
    # The allowance newly owed with it waits too: the gap list does not count it yet.
    allowance = ChildFinding.objects.get(
        child=dead_and_ill, code="orphan_allowance", is_current=True
    )
    assert allowance.awaits_confirmation
    assert county_count(users["county"], place, "eligible") == 0
    # Evaluating again keeps it proposed.
    child_evaluate(dead_and_ill)
    assert ChildFinding.objects.get(pk=found.pk).awaits_confirmation

    assert finding_changes_confirm(actor=users["director_a"], changes=[change]) == 1
    found.refresh_from_db()
    assert not found.awaits_confirmation and not found.pending_review
    assert county_count(users["county"], place, f"cat:{DE_FACTO}") == 1
    benefit_change = FindingChange.objects.get(
        child=dead_and_ill, code="orphan_allowance", change=ChangeKind.STARTED
    )
    finding_changes_confirm(actor=users["director_a"], changes=[benefit_change])
    assert county_count(users["county"], place, "eligible") == 1
    child_evaluate(dead_and_ill)
    assert not ChildFinding.objects.get(pk=found.pk).pending_review


def test_a_file_first_evaluated_under_the_new_version_is_not_held(users, place):
    adopt_2019(users, place)
    child = kid(place.village_a, "李小禾", birth=date(2016, 4, 1))
    parent_add(child, "father", "dead", status_since=date(2021, 5, 1))
    parent_add(child, "mother", "seriously_ill", status_since=date(2022, 1, 1))
    child_evaluate(child)
    found = ChildFinding.objects.get(child=child, code=DE_FACTO, kind=FindingKind.CATEGORY)
    assert not found.awaits_confirmation and not found.pending_review
