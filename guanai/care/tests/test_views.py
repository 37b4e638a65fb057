"""Care pages: the carer's phone page and one-tap record, figures, PDF card; outsiders get 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.care.due import due_items_materialise
from guanai.care.models import CareRecord, CarerKind, DueItem, DueStatus
from guanai.care.pdf import FetchRefused, refuse_fetch
from guanai.care.testing import care_objects_for, pairing_build

TODAY = timezone.localdate()


@pytest.fixture
def paired(users, children, terms):
    pairing = pairing_build(
        children["a"],
        users["carer_a"],
        CarerKind.CARING_MOTHER,
        start_date=TODAY - timedelta(days=200),
    )
    due_items_materialise(start=TODAY - timedelta(days=90), end=TODAY + timedelta(days=30))
    return pairing


@pytest.mark.django_db
def test_it_shows_the_carer_what_is_due_and_overdue(login, paired):
    response = login(paired.carer).get(reverse("care:my_week"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "本周待办" in body and "已逾期" in body and "张小明" in body
    assert "echarts" not in body  # a light page for slow connections
    assert len(response.content) < 60_000


@pytest.mark.django_db
def test_it_records_with_one_tap(login, paired):
    client = login(paired.carer)
    item = DueItem.objects.filter(carer=paired.carer, status=DueStatus.OPEN).order_by("due_date")[0]
    url = reverse("care:record_create", args=[paired.child_id])
    form = client.get(f"{url}?due={item.pk}", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "<html" not in form.content.decode()
    day = max(item.period_start, paired.start_date)
    response = client.post(
        url,
        {"due": item.pk, "activity": item.activity, "date": day.isoformat(), "severity": "none"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已记录" in response.content.decode()
    item.refresh_from_db()
    assert item.status == DueStatus.DONE


@pytest.mark.django_db
def test_a_late_record_for_an_overdue_item_fulfils_that_item_only(login, paired):
    client = login(paired.carer)
    overdue = DueItem.objects.filter(
        carer=paired.carer, status=DueStatus.OPEN, due_date__lt=TODAY, activity="talk"
    ).order_by("-due_date")[0]
    url = reverse("care:record_create", args=[paired.child_id])
    response = client.post(
        url,
        {"due": overdue.pk, "activity": "talk", "date": TODAY.isoformat(), "severity": "none"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == f"#due-{overdue.pk}"
    assert "已完成" in response.content.decode()
    overdue.refresh_from_db()
    assert (overdue.status, overdue.done_on) == (DueStatus.DONE, TODAY)
    # This month's talk is still owed: one late talk is not two talks.
    assert DueItem.objects.filter(
        activity="talk", status=DueStatus.OPEN, period_start__lte=TODAY, period_end__gte=TODAY
    ).exists()


@pytest.mark.django_db
def test_it_shows_errors_in_chinese_on_the_field(login, paired):
    url = reverse("care:record_create", args=[paired.child_id])
    future = (TODAY + timedelta(days=3)).isoformat()
    response = login(paired.carer).post(
        url, {"activity": "talk", "date": future, "severity": "none"}
    )
    assert response.status_code == 400
    assert "记录日期不能晚于今天" in response.content.decode()
    assert not CareRecord.objects.exists()


@pytest.mark.django_db
def test_the_child_file_shows_pairings_and_the_records_timeline(login, users, paired):
    CareRecord.objects.create(
        child=paired.child,
        carer=paired.carer,
        pairing=paired,
        division_code=paired.child.division_code,
        activity="talk",
        date=TODAY,
        mood="开心",
    )
    body = (
        login(users["director_a"])
        .get(reverse("registry:child_detail", args=[paired.child_id]))
        .content.decode()
    )
    assert "结对与关爱" in body and "爱心妈妈" in body and "情绪:开心" in body


@pytest.mark.django_db
def test_figures_for_the_township(login, users, paired):
    response = login(users["supervisor_1"]).get(reverse("care:overview"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "东风村" in body and "当前逾期" in body
    overdue = login(users["supervisor_1"]).get(reverse("care:overdue_list"))
    assert "张小明" in overdue.content.decode()
    for name in ("unpaired_list", "over_limit_list", "flag_list", "pairing_list", "term_list"):
        assert login(users["supervisor_1"]).get(reverse(f"care:{name}")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["carer=²", f"carer={'9' * 30}", "month=0001-01", "month=9999-12"]
)
def test_odd_filters_on_the_figures_are_no_500(login, users, paired, query):
    client = login(users["supervisor_1"])
    for name in ("overview", "overdue_list"):
        assert client.get(reverse(f"care:{name}") + "?" + query).status_code == 200


@pytest.mark.django_db
def test_carers_do_not_see_figures(login, users, paired):
    client = login(paired.carer)
    for name in ("overview", "overdue_list", "unpaired_list", "over_limit_list", "flag_list"):
        assert client.get(reverse(f"care:{name}")).status_code == 404, name


@pytest.mark.django_db
def test_the_pairing_card_is_a_pdf_that_fetches_nothing(login, users, paired):
    response = login(users["director_a"]).get(reverse("care:pairing_card", args=[paired.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    with pytest.raises(FetchRefused):
        refuse_fetch("https://example.com/font.woff")


@pytest.mark.django_db
def test_every_care_view_answers_404_to_outsiders(client, users, children):
    """Each URL with arguments, pointed at village B's objects, as village A and township 2."""
    args = care_objects_for(children["b"])
    routes = {
        "flag_detail": ["flag_pk"],
        "pairing_create": ["child_pk"],
        "pairing_end": ["pairing_pk"],
        "pairing_card": ["pairing_pk"],
        "record_create": ["child_pk"],
        "record_detail": ["record_pk"],
    }
    assert len(routes) == 6
    for username in ("director_a", "supervisor_2", "carer_a"):
        client.force_login(users[username])
        for name, keys in routes.items():
            url = reverse(f"care:{name}", kwargs={k: args[k] for k in keys})
            for method in (client.get, client.post):
                status = method(url).status_code
                assert status in (404, 405), f"{username} {name} {status}"
                assert not (method is client.post and status == 405), f"{username} {name}"


@pytest.mark.django_db
def test_a_supervisor_handles_a_flag(login, users, children):
    args = care_objects_for(children["a"])
    url = reverse("care:flag_detail", args=[args["flag_pk"]])
    assert login(users["director_a"]).post(url, {"note": "已联系"}).status_code == 404
    response = login(users["supervisor_1"]).post(url, {"note": "已联系派出所和学校"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_pairing_is_made_from_the_child_file(login, users, children):
    url = reverse("care:pairing_create", args=[children["a"].pk])
    response = login(users["director_a"]).post(
        url,
        {
            "carer": users["carer_a"].pk,
            "kind": "caring_mother",
            "start_date": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert children["a"].pairings.get().carer == users["carer_a"]


def test_closing_a_file_ends_its_pairings(users, children):
    from datetime import date

    from guanai.care.services import carer_load
    from guanai.registry.services import child_deactivate

    pairing = pairing_build(children["a"], users["carer_a"], start_date=date(2025, 3, 1))
    today = timezone.localdate()
    assert carer_load(users["carer_a"], today) == 1
    child_deactivate(actor=users["director_a"], child=children["a"], reason="moved_away", on=today)
    pairing.refresh_from_db()
    assert (pairing.end_date, pairing.end_reason) == (today, "档案注销")
    assert carer_load(users["carer_a"], today + timedelta(days=1)) == 0
