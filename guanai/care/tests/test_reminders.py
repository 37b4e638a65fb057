"""The daily run: due items, reminders into notices, backends; task, command and service agree.

The backends themselves are tested in guanai/notices/tests/test_notify.py."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guanai.care.models import CarerKind
from guanai.care.reminders import care_daily
from guanai.care.tasks import care_daily_task
from guanai.care.testing import pairing_build
from guanai.notices.models import Notice
from guanai.notices.notify import ConsoleBackend, SmsBackend

TODAY = timezone.localdate()
sent: list[str] = []


class RecordingBackend(ConsoleBackend):
    def send(self, notice):
        sent.append(f"{notice.user.username}:{notice.key}")


class BrokenSms(SmsBackend):
    pass  # no send_sms: every send fails, and must not stop the others


@pytest.fixture
def paired(users, children, terms):
    return pairing_build(
        children["a"],
        users["carer_a"],
        CarerKind.CARING_MOTHER,
        start_date=TODAY - timedelta(days=200),
    )


@pytest.mark.django_db
def test_the_daily_run_reminds_carers_and_staff_once(
    paired, users, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_BACKENDS = [f"{__name__}.BrokenSms", f"{__name__}.RecordingBackend"]
    users["carer_a"].phone = "13800000000"
    users["carer_a"].save()
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = care_daily(on=TODAY)
    assert result.materialised.inserted > 0
    assert result.carer_notices == 1
    notice = Notice.objects.get(user=users["carer_a"])
    assert "已逾期" in notice.body
    staff = set(
        Notice.objects.exclude(user=users["carer_a"]).values_list("user__username", flat=True)
    )
    assert staff == {"director_a", "supervisor_1"}
    assert f"carer_a:remind:{TODAY:%Y-%m-%d}" in sent
    # Again the same day: nothing new, nothing sent twice.
    before = len(sent)
    with django_capture_on_commit_callbacks(execute=True):
        again = care_daily(on=TODAY)
    assert (again.materialised.inserted, again.carer_notices, again.staff_notices) == (0, 0, 0)
    assert len(sent) == before


@pytest.mark.django_db
def test_the_command_and_the_task_call_the_same_service(paired, users, settings):
    settings.NOTICE_BACKENDS = []
    out = io.StringIO()
    call_command("care", "remind", stdout=out)
    assert "提醒结对人 1 人" in out.getvalue()
    assert care_daily_task.call()["carer_notices"] == 0  # already reminded today
