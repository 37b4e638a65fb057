"""`guanai rules evaluate [--as-of DATE] [--division CODE]`: re-evaluate every file in batch.

Also `guanai rules parameters [--area CODE] [--as-of DATE]` (the values in force) and
`guanai rules set-parameter NAME VALUE --from DATE [--area CODE] [--to DATE] [--note TEXT]`
(a county's own amounts and dates, without code changes).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guanai.core.errors import DomainError
from guanai.rules.parameters import SPECS, book_load
from guanai.rules.services import (
    EvaluationStats,
    default_workers,
    registry_evaluate,
    rule_parameter_set,
)


def a_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{value}") from exc


class Command(BaseCommand):
    help = "儿童类别与保障待遇认定:批量认定、查看和设置规则参数"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        evaluate = commands.add_parser("evaluate", help="按档案重新认定全部儿童")
        evaluate.add_argument("--as-of", type=a_date, help="认定日期 YYYY-MM-DD(默认今天)")
        evaluate.add_argument("--division", default="", help="只认定该区划代码前缀内的儿童")
        evaluate.add_argument("--chunk-size", type=int, default=20_000, help="每个事务的儿童数")
        evaluate.add_argument("--dry-run", action="store_true", help="只统计,不写入")
        evaluate.add_argument("--workers", type=int, help="并行进程数(默认按 CPU 数,最多 4)")
        listing = commands.add_parser("parameters", help="列出某地某日生效的参数值")
        listing.add_argument("--area", default="", help="区划代码(默认全国)")
        listing.add_argument("--as-of", type=a_date, help="日期 YYYY-MM-DD(默认今天)")
        setting = commands.add_parser("set-parameter", help="增加或更正某地自某日起的参数值")
        setting.add_argument("name", choices=sorted(SPECS))
        setting.add_argument("value")
        setting.add_argument("--from", dest="effective_from", type=a_date, required=True)
        setting.add_argument("--to", dest="effective_to", type=a_date)
        setting.add_argument("--area", default="", help="区划代码前缀(全国留空)")
        setting.add_argument("--note", default="", help="依据(文件名、文号)")

    def handle(self, *args, subcommand: str, **options):
        handler = {
            "evaluate": self.evaluate,
            "parameters": self.parameters,
            "set-parameter": self.set_parameter,
        }[subcommand]
        try:
            handler(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def evaluate(self, *, as_of, division, chunk_size, dry_run, workers, verbosity, **_):
        if chunk_size < 1 or (workers is not None and workers < 1):
            raise CommandError("--chunk-size 和 --workers 应为正整数")
        progress = self._progress if verbosity >= 2 else None
        stats = registry_evaluate(
            as_of=as_of,
            division_code=division,
            chunk_size=chunk_size,
            dry_run=dry_run,
            workers=workers or default_workers(),
            progress=progress,
        )
        rate = stats.children / stats.seconds if stats.seconds else 0
        self.stdout.write(
            f"{'试算' if dry_run else '认定'}日期 {stats.as_of}:儿童 {stats.children} 名,"
            f"认定结果 {stats.findings} 项;新增 {stats.inserted},更新 {stats.updated},"
            f"结束 {stats.closed},待确认变化 {stats.changes};"
            f"用时 {stats.seconds:.1f} 秒({rate:.0f} 名/秒)"
        )

    def _progress(self, stats: EvaluationStats) -> None:
        self.stdout.write(f"  已认定 {stats.children} 名")

    def parameters(self, *, area, as_of, **_):
        on = as_of or timezone.localdate()
        params = book_load(area).params(area, on)
        for name, spec in SPECS.items():
            value = params.get(name)
            shown = "—(未设置)" if value is None else f"{value.normalize():f} {spec.unit}"
            self.stdout.write(f"{name}\t{spec.label}\t{shown}")

    def set_parameter(self, *, name, value, effective_from, effective_to, area, note, **_):
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise CommandError(f"数值格式不对:{value}") from exc
        row = rule_parameter_set(
            actor=None,
            name=name,
            area_code=area,
            effective_from=effective_from,
            effective_to=effective_to,
            value=number,
            note=note,
        )
        self.stdout.write(
            f"已设置 {row.name} @ {row.area_code or '全国'} 自 {row.effective_from}:{row.value}"
        )
