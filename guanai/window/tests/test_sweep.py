"""The referrals' sweep: lapses tell the desk and the township, then the county; once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guanai.accounts.models import Department
from guanai.notices.models import Notice
from guanai.ops.management.commands.worker import CLOCK_SWEEPS
from guanai.window.sweep import referral_sweep
from guanai.window.testing import referral_build

pytestmark = pytest.mark.django_db


def test_a_lapsed_referral_tells_the_desk_and_supervisor_then_the_county(users, children):
    today = timezone.localdate()
    referral = referral_build(
        children["a"], users["supervisor_1"], due_on=today, escalate_on=today + timedelta(days=3)
    )
    assert referral_sweep().lapsed == 0  # the last day is today
    later = timezone.now() + timedelta(days=1)
    done = referral_sweep(later)
    assert (done.lapsed, done.escalated) == (1, 0)
    told = Notice.objects.filter(key=f"referral:{referral.pk}:lapse")
    assert set(told.values_list("user__username", flat=True)) == {"department", "supervisor_1"}
    assert referral_sweep(later).notices == 0
    escalation = referral_sweep(timezone.now() + timedelta(days=4))
    assert escalation.escalated == 1
    county = Notice.objects.get(key=f"referral:{referral.pk}:escalation")
    assert county.user == users["county"]


def test_a_paused_or_finished_referral_does_not_lapse(users, children):
    past = timezone.localdate() - timedelta(days=3)
    referral_build(children["a"], users["supervisor_1"], due_on=past, status="more_docs")
    referral_build(children["a"], users["supervisor_1"], due_on=past, status="completed")
    assert referral_sweep().lapsed == 0


def test_many_lapses_become_one_digest(users, children):
    past = timezone.localdate() - timedelta(days=1)
    for _ in range(7):
        referral_build(
            children["a"], users["supervisor_1"], due_on=past, department=Department.EDUCATION
        )
    done = referral_sweep()
    assert done.lapsed == 7
    assert Notice.objects.filter(user=users["department"]).count() == 1


def test_the_worker_and_the_command_sweep(users, children, capsys):
    assert referral_sweep in CLOCK_SWEEPS
    call_command("window", "sweep", "--at", "2026-12-01T09:00")
    assert "超时 0 件" in capsys.readouterr().out


def test_a_referral_past_both_days_lapses_and_escalates_in_one_sweep(users, children):
    past = timezone.localdate() - timedelta(days=5)
    referral = referral_build(
        children["a"], users["supervisor_1"], due_on=past, escalate_on=past + timedelta(days=2)
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    waiting = referral_build(children["a"], users["supervisor_1"], due_on=yesterday)
    done = referral_sweep()
    assert (done.lapsed, done.escalated) == (2, 1)
    referral.refresh_from_db()
    waiting.refresh_from_db()
    assert referral.lapsed_at == referral.escalated_at is not None
    assert waiting.lapsed_at is not None and waiting.escalated_at is None
    assert Notice.objects.get(key=f"referral:{referral.pk}:escalation").user == users["county"]
    assert not Notice.objects.filter(key=f"referral:{waiting.pk}:escalation").exists()
    assert referral_sweep().notices == 0


def test_a_lapse_tells_the_departments_head_where_one_is_named(users, children, place):
    from guanai.testing.factories import user_build

    head = user_build("education_head", "department", place.county, department=Department.EDUCATION)
    head.is_department_head = True
    head.save()
    past = timezone.localdate() - timedelta(days=1)
    referral = referral_build(children["a"], users["supervisor_1"], due_on=past)
    referral_sweep()
    told = Notice.objects.filter(key=f"referral:{referral.pk}:lapse")
    assert set(told.values_list("user__username", flat=True)) == {"education_head", "supervisor_1"}
