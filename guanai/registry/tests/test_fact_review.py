"""Review of facts (审核): the village enters, the township reviews, statistics count what is
reviewed; returned changes go back to the village with a comment; a county may switch a group off."""

from collections import Counter, defaultdict
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.scoping import area_for
from guanai.core.errors import AccessDenied, DomainError
from guanai.notices.models import Notice
from guanai.registry import review
from guanai.registry.choices import FactGroup, ParentStatus, ReviewStatus
from guanai.registry.extensions import CountPeriod, due_entries
from guanai.registry.forms import initial_from_child
from guanai.registry.models import Child, FactReview
from guanai.registry.services import child_register, child_update
from guanai.registry.tests.test_services import base_data
from guanai.rules.choices import Category
from guanai.rules.figures import finding_counts
from guanai.rules.models import ChildFinding
from guanai.testing.factories import PASSWORD


def left_behind(child: Child) -> ChildFinding:
    return ChildFinding.objects.get(
        child=child, kind="category", code=Category.LEFT_BEHIND.value, is_current=True
    )


def county_counts(user, place) -> Counter:
    counts: dict[str, Counter] = defaultdict(Counter)
    today = timezone.localdate()
    finding_counts(area_for(user, place.county), 6, CountPeriod(today, today, today), counts)
    return counts[place.county.code]


def edit(actor, child: Child, **changes) -> dict:
    child.refresh_from_db()
    return child_update(
        actor=actor, child=child, version=child.version, data=initial_from_child(child) | changes
    )


@pytest.fixture
def registered(users, place) -> Child:
    """A left-behind child registered by the village's director (both parents working away)."""
    return child_register(actor=users["director_a"], village=place.village_a, data=base_data())


@pytest.mark.django_db
def test_a_village_registration_waits_for_the_township_and_is_not_counted_as_confirmed(
    users, place, registered
):
    submission = FactReview.objects.get(child=registered)
    assert submission.status == ReviewStatus.PENDING
    # A new file has every fact new: each group it sets is named (economy: its default 一般).
    assert submission.groups == [
        FactGroup.NEW_FILE,
        FactGroup.PARENTS,
        FactGroup.GUARDIAN,
        FactGroup.ECONOMY,
    ]
    assert submission.changes["father.status"] == ["", "外出务工"]
    registered.refresh_from_db()
    assert registered.facts_pending
    assert left_behind(registered).pending_review
    counts = county_counts(users["county"], place)
    assert counts[f"cat:{Category.LEFT_BEHIND.value}"] == 0
    assert counts["review_pending"] == 1
    # The township over the village has it in its to-do list; the other township does not.
    (entry,) = [e for e in due_entries(users["supervisor_1"]) if "待审核" in e.title]
    assert entry.title == "待审核的档案信息变更 1 项"
    assert entry.url == reverse("registry:review_list")
    assert not [e for e in due_entries(users["supervisor_2"]) if "待审核" in e.title]
    assert list(review.reviewers_of(registered.division_code)) == [users["supervisor_1"]]


@pytest.mark.django_db
def test_accepting_confirms_the_categories_and_the_statistics_count_them(users, place, registered):
    (submission,) = FactReview.objects.filter(child=registered)
    assert review.reviews_accept(actor=users["supervisor_1"], ids=[submission.pk]) == 1
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.ACCEPTED
    assert submission.reviewed_by == users["supervisor_1"]
    registered.refresh_from_db()
    assert not registered.facts_pending
    assert not left_behind(registered).pending_review
    counts = county_counts(users["county"], place)
    assert counts[f"cat:{Category.LEFT_BEHIND.value}"] == 1
    assert counts["review_pending"] == 0


@pytest.mark.django_db
def test_another_township_cannot_decide_and_nothing_changes(users, registered):
    (submission,) = FactReview.objects.filter(child=registered)
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        review.reviews_accept(actor=users["supervisor_2"], ids=[submission.pk])
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        review.review_return(actor=users["supervisor_2"], review_id=submission.pk, comment="不对")
    with pytest.raises(AccessDenied):
        review.reviews_accept(actor=users["director_a"], ids=[submission.pk])
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.PENDING


@pytest.mark.django_db
def test_a_returned_change_goes_back_to_the_village_and_a_correction_is_submitted_again(
    users, registered
):
    (submission,) = FactReview.objects.filter(child=registered)
    with pytest.raises(DomainError, match="审核意见"):
        review.review_return(actor=users["supervisor_1"], review_id=submission.pk, comment="  ")
    review.review_return(
        actor=users["supervisor_1"], review_id=submission.pk, comment="母亲务工地请核实"
    )
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.RETURNED
    (entry,) = [e for e in due_entries(users["director_a"]) if "退回" in e.title]
    assert entry.title == "审核退回:陈思雨"
    assert "母亲务工地请核实" in entry.detail
    assert entry.url == reverse("registry:child_edit", args=[registered.pk])
    notice = Notice.objects.get(user=users["director_a"])
    assert "母亲务工地请核实" in notice.body
    # Still 待审核 while returned: the facts have not been confirmed.
    assert left_behind(registered).pending_review
    edit(users["director_a"], registered, mother_status_since=date(2023, 2, 1))
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.RESUBMITTED
    again = FactReview.objects.get(child=registered, status=ReviewStatus.PENDING)
    assert again.groups == [FactGroup.PARENTS]
    assert again.changes == {"mother.status_since": ["", "2023-02-01"]}
    assert not [e for e in due_entries(users["director_a"]) if "退回" in e.title]


@pytest.mark.django_db
def test_the_townships_own_entries_and_other_fields_need_no_review(users, place, registered):
    review.reviews_accept(
        actor=users["supervisor_1"], ids=FactReview.objects.values_list("pk", flat=True)
    )
    edit(users["director_a"], registered, hobbies="画画")
    edit(users["supervisor_1"], registered, father_status=ParentStatus.AT_HOME)
    assert not FactReview.objects.filter(status=ReviewStatus.PENDING).exists()
    registered.refresh_from_db()
    assert not registered.facts_pending


@pytest.mark.django_db
def test_a_county_can_switch_a_group_off(users, place, registered):
    review.reviews_accept(
        actor=users["supervisor_1"], ids=FactReview.objects.values_list("pk", flat=True)
    )
    with pytest.raises(AccessDenied):
        review.review_switch_set(
            actor=users["supervisor_1"], county_code=place.county.code, required={}
        )
    review.review_switch_set(
        actor=users["county"],
        county_code=place.county.code,
        required={FactGroup.PARENTS.value: False},
    )
    assert FactGroup.PARENTS not in review.required_groups(place.county.code)
    edit(users["director_a"], registered, father_status=ParentStatus.DEAD)
    assert not FactReview.objects.filter(status=ReviewStatus.PENDING).exists()
    edit(users["director_a"], registered, guardian_relation="grandparent_maternal")
    assert FactReview.objects.get(status=ReviewStatus.PENDING).groups == [FactGroup.GUARDIAN]


@pytest.mark.django_db
def test_the_batch_page_shows_the_changes_and_accepts_and_returns(client, users, registered):
    client.login(username="supervisor_1", password=PASSWORD)
    page = client.get(reverse("registry:review_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "陈思雨" in text
    assert "父亲·状况:未填写 → 外出务工" in text
    (submission,) = FactReview.objects.filter(child=registered)
    returned = client.post(
        reverse("registry:review_return", args=[submission.pk]),
        {"comment": "监护人电话请核实"},
        HTTP_HX_REQUEST="true",
    )
    assert returned.status_code == 200
    assert "已退回" in returned.content.decode()
    # The village sees the comment on the file.
    client.login(username="director_a", password=PASSWORD)
    file_page = client.get(reverse("registry:child_detail", args=[registered.pk]))
    assert "监护人电话请核实" in file_page.content.decode()
    edit(users["director_a"], registered, father_status=ParentStatus.DEAD)
    client.login(username="supervisor_1", password=PASSWORD)
    pending = FactReview.objects.get(status=ReviewStatus.PENDING)
    accepted = client.post(reverse("registry:review_list"), {"review": [str(pending.pk)]})
    assert accepted.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.ACCEPTED


@pytest.mark.django_db
def test_a_director_and_another_township_are_refused_the_review_pages(client, users, registered):
    client.login(username="director_a", password=PASSWORD)
    assert client.get(reverse("registry:review_list")).status_code == 404
    assert client.get(reverse("registry:review_settings")).status_code == 404
    client.login(username="supervisor_2", password=PASSWORD)
    assert "陈思雨" not in client.get(reverse("registry:review_list")).content.decode()
    (submission,) = FactReview.objects.filter(child=registered)
    client.post(reverse("registry:review_list"), {"review": [str(submission.pk)]})
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.PENDING


@pytest.mark.django_db
def test_the_county_sets_the_groups_on_its_page(client, users, place):
    client.force_login(users["county"])
    response = client.post(reverse("registry:review_settings"), {"group": ["new_file", "economy"]})
    assert response.status_code == 302
    assert review.required_groups(place.county.code) == {"new_file", "economy"}
