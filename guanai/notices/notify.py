"""Sending notices outside the app. settings.NOTICE_BACKENDS lists dotted paths of backends
(guanai.notices.notify.ConsoleBackend, ...); every new Notice is handed to each. The default
prints to the console; e-mail uses Django's mail settings; SMS needs a gateway: subclass
SmsBackend and implement `send_sms`."""

import logging
import sys
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from guanai.notices.models import Notice

log = logging.getLogger(__name__)


class NoticeBackend:
    def send(self, notice: Notice) -> None:
        raise NotImplementedError


class ConsoleBackend(NoticeBackend):
    def __init__(self, stream=None):
        self.stream = stream

    def send(self, notice: Notice) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"[通知] {notice.user.get_username()}:{notice.title} — {notice.body}\n")


class EmailBackend(NoticeBackend):
    def send(self, notice: Notice) -> None:
        if notice.user.email:
            body = f"{notice.body}\n\n{notice.url}" if notice.url else notice.body
            send_mail(
                subject=f"[关爱] {notice.title}",
                message=body,
                from_email=None,
                recipient_list=[notice.user.email],
            )


class SmsBackend(NoticeBackend):
    """Base for an SMS gateway: implement send_sms(phone, text)."""

    def send(self, notice: Notice) -> None:
        if notice.user.phone:
            self.send_sms(notice.user.phone, f"【关爱】{notice.title}:{notice.body}"[:300])

    def send_sms(self, phone: str, text: str) -> None:
        raise NotImplementedError("请配置短信网关")


def backends() -> list[NoticeBackend]:
    return [import_string(path)() for path in getattr(settings, "NOTICE_BACKENDS", [])]


def dispatch(keys: Iterable[tuple[int, str]]) -> int:
    """Hand the notices (user id, key) to every backend; a failing backend is logged, not raised."""
    chosen = backends()
    if not chosen:
        return 0
    wanted = set(keys)
    pairs = sorted(wanted)
    sent = 0
    for i in range(0, len(pairs), 1000):  # one query per thousand, on the (user, key) index
        chunk = pairs[i : i + 1000]
        batch = Notice.objects.filter(
            user_id__in={u for u, _ in chunk}, key__in={k for _, k in chunk}
        ).select_related("user")
        for notice in batch:
            if (notice.user_id, notice.key) not in wanted:
                continue
            for backend in chosen:
                try:
                    backend.send(notice)
                except Exception:  # one gateway failing must not stop the others
                    log.exception("notice backend %s failed", type(backend).__name__)
            sent += 1
    return sent
