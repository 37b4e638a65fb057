"""`guanai teaching_check [--date D]`: remind of home teaching short of its rule (monthly, cron)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guanai.disability.services import teaching_shortfalls_notify


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{text}") from exc


class Command(BaseCommand):
    help = "送教上门:未达标的协议提醒协议建立人和所在村儿童主任(每月运行一次)"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, default=None, help="按哪一天检查(默认今天)")

    def handle(self, *args, **options):
        sent = teaching_shortfalls_notify(as_of=options["date"] or timezone.localdate())
        self.stdout.write(f"送教上门未达标提醒 {sent} 条")
