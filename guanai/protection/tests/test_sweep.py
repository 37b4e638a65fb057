"""The clock sweep: lapses, escalations, overdue tasks and follow-ups, each told once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guanai.notices.models import Notice
from guanai.protection import services
from guanai.protection.sweep import clock_sweep
from guanai.protection.testing import case_build

pytestmark = pytest.mark.django_db


def test_a_red_case_nobody_verified_lapses_then_escalates(users, children):
    case = case_build(children["a"], users["director_a"], grade="red", assignee=users["director_a"])
    assert clock_sweep(case.received_at + timedelta(hours=23)).lapsed == 0
    lapse = clock_sweep(case.received_at + timedelta(hours=25))
    assert (lapse.lapsed, lapse.escalated) == (1, 0)
    told = Notice.objects.filter(key=f"case:{case.pk}:lapse")
    assert set(told.values_list("user__username", flat=True)) == {"supervisor_1", "director_a"}
    assert clock_sweep(case.received_at + timedelta(hours=26)).notices == 0  # told once
    escalation = clock_sweep(case.received_at + timedelta(hours=37))
    assert escalation.escalated == 1
    case.refresh_from_db()
    assert case.lapsed_at and case.escalated_at
    county = Notice.objects.get(key=f"case:{case.pk}:escalation")
    assert county.user == users["county"]  # no officer named: the county's civil affairs


def test_a_verified_case_does_not_lapse(users, children):
    case = case_build(children["a"], users["director_a"], grade="orange")
    services.step_record(
        actor=users["supervisor_1"], case=case, kind="verify", done_at=timezone.now(), text="到场"
    )
    assert clock_sweep(case.received_at + timedelta(days=10)).lapsed == 0


def test_overdue_tasks_and_follow_ups_are_told(users, children):
    case = case_build(children["a"], users["director_a"], assignee=users["director_a"])
    case.tasks.create(
        title="联系学校",
        owner=users["department"],
        due_on=timezone.localdate() - timedelta(days=1),
        created_by=users["supervisor_1"],
    )
    case.next_follow_up_on = timezone.localdate()
    case.save()
    done = clock_sweep()
    assert (done.tasks_overdue, done.follow_ups) == (1, 1)
    owners = set(Notice.objects.filter(kind="overdue").values_list("user__username", flat=True))
    assert owners == {"department", "director_a"}
    assert Notice.objects.filter(kind="reminder", user=users["director_a"]).exists()
    again = clock_sweep()
    assert (again.tasks_overdue, again.follow_ups, again.notices) == (0, 0, 0)


def test_the_command_sweeps_at_a_given_time(users, children, capsys):
    case = case_build(children["a"], users["director_a"], grade="red")
    at = (case.received_at + timedelta(hours=25)).isoformat()
    call_command("protection", "sweep", "--at", at)
    assert "超时 1 件" in capsys.readouterr().out


def test_many_lapses_at_once_reach_a_supervisor_as_one_digest(users, children):
    from guanai.notices.digest import DIGEST_OVER

    cases = [
        case_build(children["a"], users["director_a"], grade="red") for _ in range(DIGEST_OVER + 1)
    ]
    done = clock_sweep(cases[0].received_at + timedelta(hours=25))
    assert done.lapsed == DIGEST_OVER + 1
    told = Notice.objects.filter(user=users["supervisor_1"], kind="lapse")
    assert told.count() == 1
    digest = told.get()
    assert digest.title == f"{DIGEST_OVER + 1} 件个案超过响应时限"
    assert cases[0].number in digest.body and digest.url == "/protection/?lapsed=1"
