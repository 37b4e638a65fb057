"""guanai import FILE --source NAME [--mapping PROFILE] [--village CODE] [--as-of DATE] [--dry-run]
[--user NAME [--own-rows-only]]."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guanai.accounts.models import User
from guanai.core.errors import DomainError
from guanai.ingest.models import Source
from guanai.ingest.services import ImportRejected, roster_import


class Command(BaseCommand):
    help = "导入部门名册(公安、学校、残联、民政)并与已有儿童档案关联"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, choices=Source.values)
        parser.add_argument("--mapping", help="已保存的表头对应方案名称")
        parser.add_argument("--village", help="没有村(居)列时使用的 12 位村代码")
        parser.add_argument("--user", help="以此账户的名义导入(按其管辖范围检查)")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, help="名册所反映的日期 YYYY-MM-DD(默认今天)"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查,不保存")
        parser.add_argument(
            "--own-rows-only",
            action="store_true",
            help="只导入 --user 管辖范围内各村的行,其余的行列出行号、不导入",
        )
        parser.add_argument("--report-json", help="把导入结果写成 JSON 文件")

    def handle(self, *args, **options):
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"没有账户 {options['user']}")
        try:
            report = roster_import(
                actor=actor,
                path=options["file"],
                source=options["source"],
                profile=options["mapping"],
                village=options["village"],
                as_of=options["as_of"],
                dry_run=options["dry_run"],
                own_rows_only=options["own_rows_only"],
            )
        except ImportRejected as exc:
            if options["report_json"]:
                Path(options["report_json"]).write_text(
                    json.dumps({"errors": exc.errors}, ensure_ascii=False, indent=2),
                    encoding="utf-8",
                )
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} 处错误,未导入任何数据") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["report_json"]:
            Path(options["report_json"]).write_text(report.to_json(), encoding="utf-8")
        if report.already_imported:
            self.stdout.write("此文件已导入过,没有任何改动")
        elif report.errors:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError(f"检查发现 {len(report.errors)} 处错误(未保存)")
        else:
            for line in report.warnings:
                self.stderr.write(f"提示:{line}")
            prefix = "检查通过(未保存):" if report.dry_run else "导入完成:"
            self.stdout.write(
                f"{prefix}{report.rows} 行,新增 {report.new},未变 {report.unchanged},"
                f"自动关联 {report.linked}(其中更新档案 {report.merged}),"
                f"新建档案 {report.created},待人工确认 {report.review},"
                f"来源不一致保留待查 {report.conflicts} 项"
                + (f";跳过空行、合计、签名等 {report.skipped} 行" if report.skipped else "")
                + (f";已满 18 周岁未导入 {report.adults} 人" if report.adults else "")
                + (f";身份证号已在其他乡镇登记、转县级核对 {report.held} 行" if report.held else "")
                + (f";本辖区以外未导入 {report.outside} 行" if report.outside else "")
            )
