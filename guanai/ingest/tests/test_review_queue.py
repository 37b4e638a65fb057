"""Issue 17: a review queue people can finish, and names and numbers from foreign rosters."""

from datetime import date

import pytest
from django.urls import reverse

from guanai.ingest import linkage, review_queue
from guanai.ingest.linkage import Person, compare
from guanai.ingest.models import ReviewPair
from guanai.ingest.testing import review_pair_build

ID = "360426201503090012"


def p(**kw) -> Person:
    values = {"key": "x", "name": "王晓宇", "birth_date": date(2015, 3, 9), "sex": "M"}
    return Person(**{**values, **kw}).prepare()


@pytest.mark.parametrize(
    "romanised",
    ["Wang Xiaoyu", "WANG XIAO YU", "wang xiaoyu", "Xiaoyu Wang", "WANGXIAOYU", "Wang Xiao-Yu"],
)
def test_a_name_in_pinyin_compares_with_the_name_in_characters(romanised):
    result = compare(p(), p(name=romanised, phone="1"))
    assert "姓名拼音相同" in result.reasons
    assert result.verdict == "match"  # name, birth date and sex: enough without a number


@pytest.mark.parametrize("written", ["Lü Xiaoyu", "Lv Xiaoyu", "Lyu Xiaoyu", "LU XIAO YU"])
def test_u_umlaut_is_written_u_v_or_yu(written):
    assert "姓名拼音相同" in compare(p(name="吕晓宇"), p(name=written)).reasons


@pytest.mark.parametrize(("name", "pinyin"), [("曾小明", "Zeng Xiaoming"), ("单丽", "Shan Li")])
def test_polyphonic_surnames_are_read_as_surnames(name, pinyin):
    assert "姓名拼音相同" in compare(p(name=name), p(name=pinyin)).reasons
    assert "姓名不同" in compare(p(name=name), p(name=pinyin.replace("Zeng", "Ceng"))).reasons or (
        name == "单丽"
    )


def test_values_that_are_no_id_number_are_no_evidence():
    a, b = p(name="王晓宇", id_number="无"), p(name="李小红", id_number="无")
    assert a.id_number == "" and "身份证号相同" not in compare(a, b).reasons
    sci = p(id_number="3.60426E+17")
    other = p(name="李小红", id_number="3.60426E+17")
    assert sci.id_number == "" and compare(sci, other).verdict == "non_match"


def test_a_number_excel_cut_to_15_digits_counts_on_those():
    number = "360426201503010234"  # its first 15 digits and 000 make no valid number
    damaged = p(id_number=number[:15] + "000", birth_date=None)
    assert damaged.id_damaged and damaged.birth_date == date(2015, 3, 1)  # from the digits
    result = compare(p(id_number=number), damaged)
    assert "身份证号前15位相同(后几位被表格截掉)" in result.reasons
    # Two damaged numbers of twins are not "the same number".
    twin = p(name="王子涵", id_number=number[:15] + "000", birth_date=None)
    assert compare(damaged, twin).verdict != "match"


def test_a_sibling_with_a_given_name_one_character_apart_is_not_matched():
    home = {"guardian": "王大山", "phone": "13800001111"}
    a = p(name="王子涵", **home)
    sibling = p(name="王子轩", birth_date=None, **home)
    result = compare(a, sibling)
    assert "同一家庭、名字差一字(可能是兄弟姐妹)" in result.reasons
    assert result.verdict == "non_match"


def test_no_name_links_nothing_on_the_rest_alone():
    a, b = p(name="", phone="13800001111"), p(name="", phone="13800001111")
    result = compare(a, b)
    assert "姓名不同" not in result.reasons and result.verdict != "match"


def test_reasons_split_into_what_agreed_and_what_did_not():
    agreed, disagreed = linkage.reasons_split(("姓名相同", "出生日期不同", "疑为双胞胎(同日生)"))
    assert agreed == ["姓名相同"] and disagreed == ["出生日期不同", "疑为双胞胎(同日生)"]


def test_accepting_a_and_b_then_b_and_c_settles_a_and_c():
    queue = review_queue.Queue(4)
    queue.decide(0, 1, True)
    queue.decide(1, 2, True)
    assert queue.settled(0, 2) is True and queue.settled(0, 3) is None


def test_rejecting_a_and_b_settles_every_pair_joining_the_same_two_clusters():
    queue = review_queue.Queue(5, matched=[(0, 1), (2, 3)])
    queue.decide(0, 2, False)
    assert queue.settled(1, 3) is False and queue.settled(1, 4) is None
    queue.decide(3, 4, True)  # the kept-apart cluster grows: still apart
    assert queue.settled(0, 4) is False


def test_two_clusters_with_different_valid_numbers_are_settled_apart_before_anyone_is_asked():
    # 0 and 2 are namesakes without a number, linked to police rows 1 and 3 with their own
    # valid numbers: 0 = 2 would join two children. 4 has no number: still a question.
    other = "360426201503090039"
    numbers = ["", ID, "", other, ""]
    queue = review_queue.Queue(5, matched=[(0, 1), (2, 3)], numbers=numbers)
    assert queue.settled(0, 2) is False
    assert queue.settled(0, 4) is None
    queue.decide(2, 4, True)  # 4 joins the child with the other number: now apart from 0
    assert queue.settled(0, 4) is False
    # The same number on both sides is no reason to keep them apart.
    same = review_queue.Queue(3, matched=[(0, 1)], numbers=[ID, "", ID])
    assert same.settled(1, 2) is None


def test_the_pair_that_changes_most_comes_first_and_a_reviewer_finishes_sooner():
    queue = review_queue.Queue(6, matched=[(0, 1), (1, 2)])
    ordered = review_queue.order(queue, [(4, 5, 13.0), (2, 3, 7.0)])
    assert ordered[0][:2] == (2, 3)  # joins four records, not two
    truth = [1, 1, 1, 1, 2, 2]
    decided, implied, _ = review_queue.play(
        6,
        [(0, 1), (1, 2)],
        [(0, 3, 8.0), (2, 3, 7.0), (1, 3, 9.0)],
        lambda i, j: truth[i] == truth[j],
    )
    assert (decided, implied) == (1, 2)


@pytest.fixture
def two_pairs(children):
    """One roster row, two candidate files in village A."""
    first = review_pair_build(children["a"], name="張小明")
    other = children["a"].__class__.objects.get(pk=children["a"].pk)
    other.pk, other.id_number, other.name = None, None, "张晓明"
    other.save()
    second = ReviewPair.objects.create(
        record=first.record,
        child=other,
        division_code=other.division_code,
        score=7.0,
        reasons=["姓名同音", "出生日期相同"],
    )
    return first, second


def test_accepting_one_candidate_settles_the_rows_other_pairs_and_undo_reopens(
    login, users, two_pairs
):
    first, second = two_pairs
    client = login(users["supervisor_1"])
    url = reverse("ingest:review_decide", args=[first.pk])
    response = client.post(url, {"decision": "accept"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="review-{first.pk}"' in response.content.decode()
    second.refresh_from_db()
    assert second.status == "rejected" and second.implied_by_id == first.pk
    client.post(url, {"decision": "undo"})
    second.refresh_from_db()
    assert second.status == "pending" and second.implied_by_id is None


def test_the_list_puts_the_row_with_most_candidates_first_and_shows_why(login, users, two_pairs):
    first, _ = two_pairs
    lone = review_pair_build(first.child, name="张小明", line=9)
    body = login(users["supervisor_1"]).get(reverse("ingest:review_list")).content.decode()
    assert body.index(f'id="review-{first.pk}"') < body.index(f'id="review-{lone.pk}"')
    assert "✓ 姓名同音、出生日期相同" in body
    assert "同时处理这一行的另外 1 条配对" in body


def test_an_outsider_neither_sees_nor_settles_the_pairs(login, users, two_pairs):
    first, second = two_pairs
    client = login(users["supervisor_2"])
    assert "張小明" not in client.get(reverse("ingest:review_list")).content.decode()
    client.post(reverse("ingest:review_decide", args=[first.pk]), {"decision": "accept"})
    assert set(ReviewPair.objects.values_list("status", flat=True)) == {"pending"}
