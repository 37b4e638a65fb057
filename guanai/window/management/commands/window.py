"""`guanai window sweep [--at ISO-TIME]`: the referrals' clock sweep, for cron or by hand
(`guanai worker` runs it every minute)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guanai.window.sweep import referral_sweep


def _when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"时间格式应为 YYYY-MM-DDTHH:MM:{text}") from exc
    return when if timezone.is_aware(when) else timezone.make_aware(when)


class Command(BaseCommand):
    help = "一门受理:检查转办时限,超时通知部门和督导员,再超时上报县级"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="检查一次(可重复运行,不会重复通知)")
        sweep.add_argument("--at", type=_when, default=None, help="按哪个时刻检查(默认现在)")

    def handle(self, *args, **options):
        done = referral_sweep(options["at"])
        self.stdout.write(
            f"超时 {done.lapsed} 件,上报县级 {done.escalated} 件;通知 {done.notices} 条"
        )
