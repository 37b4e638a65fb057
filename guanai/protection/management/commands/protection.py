"""`guanai protection sweep [--at ISO-TIME]`: the response-clock sweep, for cron or by hand
(`guanai worker` runs it every minute)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guanai.protection.sweep import clock_sweep


def _when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"时间格式应为 YYYY-MM-DDTHH:MM:{text}") from exc
    return when if timezone.is_aware(when) else timezone.make_aware(when)


class Command(BaseCommand):
    help = "未成年人保护:检查响应时限、任务逾期和回访到期,并发送通知"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="检查一次(可重复运行,不会重复通知)")
        sweep.add_argument("--at", type=_when, default=None, help="按哪个时刻检查(默认现在)")

    def handle(self, *args, **options):
        done = clock_sweep(options["at"])
        self.stdout.write(
            f"超时 {done.lapsed} 件,上报县级 {done.escalated} 件,任务逾期 {done.tasks_overdue} 项,"
            f"回访到期 {done.follow_ups} 件;通知 {done.notices} 条"
        )
