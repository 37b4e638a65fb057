from datetime import date

import pytest
from django.urls import reverse

from guanai.core.errors import AccessDenied, DomainError
from guanai.disability import services
from guanai.disability.models import HomeTeaching, TeachingVisit
from guanai.notices.models import Notice

AGREEMENT = {
    "school_year": 2025,
    "start_date": date(2025, 9, 1),
    "end_date": date(2026, 6, 30),
    "teacher_name": "王老师",
    "guardian_name": "陈母",
    "signed_on": date(2025, 8, 28),
    "voluntary": True,
    "situation": "重度肢体残疾,不能到校",
    "plan": "生活适应、语文、数学,每月两次",
}


def agreement(actor, child, **changes):
    return services.home_teaching_create(actor=actor, child=child, **(AGREEMENT | changes))


def test_an_agreement_must_be_voluntary_and_signed(users, child):
    with pytest.raises(DomainError, match="家长自愿并签订协议"):
        agreement(users["director_a"], child, voluntary=False)
    with pytest.raises(AccessDenied):
        agreement(users["director_b"], child)
    assert not HomeTeaching.objects.exists()
    made = agreement(users["department"], child)  # the education department
    with pytest.raises(DomainError, match="2025 学年已有送教协议"):
        agreement(users["director_a"], child)
    assert made.division_code == child.division_code


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        ("两", "课时须为数字"),
        ("-1", "课时须大于 0"),
        ("0", "课时须大于 0"),
        ("13", "不超过 12 课时"),
    ],
)
def test_bad_hours_are_refused_naming_the_field(users, child, hours, words):
    teaching = agreement(users["director_a"], child)
    with pytest.raises(DomainError, match=words) as error:
        services.teaching_visit_record(
            actor=users["director_a"],
            teaching=teaching,
            day=date(2025, 9, 3),
            hours=hours,
            content="识字",
        )
    assert error.value.field == "hours"
    assert not TeachingVisit.objects.exists()


def test_a_visit_outside_the_agreement_is_refused(users, child):
    teaching = agreement(users["director_a"], child)
    with pytest.raises(DomainError, match="协议期 2025-09-01 至 2026-06-30"):
        services.teaching_visit_record(
            actor=users["director_a"],
            teaching=teaching,
            day=date(2025, 8, 30),
            hours="2",
            content="识字",
        )


def test_shortfalls_raise_reminders_once_a_month(users, child):
    teaching = agreement(users["department"], child)
    services.teaching_visit_record(
        actor=users["director_a"],
        teaching=teaching,
        day=date(2025, 9, 3),
        hours="1.5",
        content="识字",
    )
    sent = services.teaching_shortfalls_notify(as_of=date(2025, 10, 2))
    assert sent == 2  # the education officer who made it and the village's director
    notice = Notice.objects.get(user=users["director_a"])
    assert "2025年09月送教 1 次,每月应不少于 2 次" in notice.body
    assert notice.url == reverse("disability:teaching_detail", args=[teaching.pk])
    assert services.teaching_shortfalls_notify(as_of=date(2025, 10, 20)) == 0
    assert not Notice.objects.filter(user=users["director_b"]).exists()


def test_pages_from_the_file_to_the_yearly_summary(login, users, child):
    client = login(users["director_a"])
    page = client.get(reverse("registry:child_detail", args=[child.pk]))
    assert "安排送教上门" in page.content.decode()
    response = client.post(
        reverse("disability:teaching_create", args=[child.pk]),
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in AGREEMENT.items()},
    )
    teaching = HomeTeaching.objects.get()
    detail = reverse("disability:teaching_detail", args=[teaching.pk])
    assert response["Location"] == detail
    bad = client.post(detail, {"day": "2025-09-03", "hours": "abc", "content": "识字"})
    assert "课时须为数字" in bad.content.decode()
    for day in ("2025-09-03", "2025-09-17"):
        client.post(detail, {"day": day, "hours": "2", "content": "识字"})
    assert "2 次,4 课时" in client.get(detail).content.decode()
    summary = client.get(reverse("disability:teaching_list") + "?year=2025").content.decode()
    assert "送教儿童 1 名" in summary and "王老师" in summary
    assert login(users["director_b"]).get(detail).status_code == 404


def test_the_monthly_command(users, child, capsys):
    from django.core.management import call_command

    agreement(users["director_a"], child)
    call_command("teaching_check", "--date", "2025-11-01")
    assert "送教上门未达标提醒 1 条" in capsys.readouterr().out


def test_a_shortfall_is_on_the_makers_home_page_to_do(login, users, child):
    from django.utils import timezone

    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    start = date(year, 9, 1)
    agreement(
        users["director_a"],
        child,
        school_year=year,
        start_date=start,
        end_date=date(year + 1, 6, 30),
        signed_on=start,
    )
    page = login(users["director_a"]).get(reverse("home")).content.decode()
    if today >= date(year, 10, 1):  # a whole month is over: it fell short
        assert f"送教上门:{child.name} 未达标" in page
    other = login(users["director_b"]).get(reverse("home")).content.decode()
    assert "送教上门" not in other
