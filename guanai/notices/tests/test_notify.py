"""The backends outside the app: console, e-mail, SMS base; a failing one stops no other."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from guanai.notices.checks import notice_backends_import
from guanai.notices.notify import ConsoleBackend, EmailBackend, SmsBackend, dispatch
from guanai.notices.testing import notice_build

sent: list[str] = []


class RecordingBackend(ConsoleBackend):
    def send(self, notice):
        sent.append(f"{notice.user.username}:{notice.key}")


class BrokenSms(SmsBackend):
    pass  # no send_sms: every send fails, and must not stop the others


@pytest.mark.django_db
def test_the_console_backend_prints_the_notice(users):
    notice = notice_build(users["carer_a"], key="k", kind="reminder", title="提醒", body="请走访")
    stream = io.StringIO()
    ConsoleBackend(stream).send(notice)
    assert "carer_a" in stream.getvalue() and "请走访" in stream.getvalue()
    assert dispatch([]) == 0


@pytest.mark.django_db
def test_the_email_backend_mails_users_with_an_address(users):
    users["director_a"].email = "director@example.org"
    users["director_a"].save()
    with_address = notice_build(users["director_a"], title="逾期", body="请走访", url="/care/")
    EmailBackend().send(with_address)
    EmailBackend().send(notice_build(users["director_b"]))  # no address: nothing sent
    assert [m.to for m in mail.outbox] == [["director@example.org"]]
    assert mail.outbox[0].subject == "[关爱] 逾期" and "/care/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_failing_backend_stops_no_other(users, settings):
    settings.NOTICE_BACKENDS = [f"{__name__}.BrokenSms", f"{__name__}.RecordingBackend"]
    users["carer_a"].phone = "13800000000"
    users["carer_a"].save()
    notice_build(users["carer_a"], key="k1")
    notice_build(users["director_a"], key="k1")
    sent.clear()
    assert dispatch([(users["carer_a"].pk, "k1"), (users["director_a"].pk, "k1")]) == 2
    assert sorted(sent) == ["carer_a:k1", "director_a:k1"]


def test_a_backend_that_cannot_be_imported_fails_the_checks(settings):
    settings.NOTICE_BACKENDS = ["guanai.notices.notify.ConsoleBackend"]
    assert notice_backends_import(None) == []
    settings.NOTICE_BACKENDS = ["guanai.care.notify.ConsoleBackend"]  # where it was before
    errors = notice_backends_import(None)
    assert [e.id for e in errors] == ["notices.E001"]
    assert "guanai.care.notify.ConsoleBackend" in errors[0].msg
    with pytest.raises(SystemCheckError):
        call_command("check")
