"""`guanai stats summaries`: recount every county's stored dashboard summaries now (`guanai
worker` refreshes them every minute)."""

import time

from django.core.management.base import BaseCommand

from guanai.stats.summaries import summaries_refresh


class Command(BaseCommand):
    help = "统计:立即重新计算各县仪表盘的汇总数"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("summaries", help="按原始数据重算全部汇总(可重复运行)")

    def handle(self, *args, **options):
        started = time.perf_counter()
        counties = summaries_refresh(force=True)
        self.stdout.write(
            f"已重算 {counties} 个县的汇总,用时 {time.perf_counter() - started:.1f} 秒"
        )
