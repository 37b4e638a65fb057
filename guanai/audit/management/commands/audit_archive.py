"""`guanai audit_archive`: move audit rows older than the retention into signed files.

    guanai audit_archive --before 2026-01-01      rows before that day (local time)
    guanai audit_archive --older-than-days 365    rows older than that
    guanai audit_archive --verify FILE            check a file's signature and content

Anything newer than 183 days is refused. Files go to GUANAI_AUDIT_ARCHIVE_DIR (var/audit-archive)
unless --out says otherwise, signed with GUANAI_AUDIT_ARCHIVE_KEY.
"""

import argparse
import getpass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guanai.audit.archive import archive_verify, audit_archive
from guanai.core.errors import DomainError


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD,而不是 {text!r}") from exc


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a name
        return "未知"


def days(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 1 <= number <= 36500:
        raise argparse.ArgumentTypeError(f"天数应为 1 到 36500 之间的整数,而不是 {text!r}")
    return number


class Command(BaseCommand):
    help = "把超过保存期限(至少 183 天)的审计记录导出为签名的压缩文件,核验后从数据库清理"

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--before", type=day, metavar="YYYY-MM-DD", help="归档该日之前的记录")
        which.add_argument("--older-than-days", type=days, metavar="N", help="归档 N 天以前的记录")
        which.add_argument("--verify", metavar="FILE", help="核验一个归档文件的签名与内容")
        parser.add_argument("--out", metavar="DIR", help="归档文件目录(默认 var/audit-archive)")

    def handle(self, *args, before, older_than_days, verify, out, **options):
        try:
            if verify:
                self._verify(Path(verify))
            else:
                cutoff = (
                    timezone.make_aware(datetime.combine(before, time.min))
                    if before
                    else timezone.now() - timedelta(days=older_than_days)
                )
                self._archive(cutoff, Path(out) if out else None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _verify(self, path: Path) -> None:
        summary = archive_verify(path)
        self.stdout.write(
            f"签名有效,内容完整:{summary.rows} 条审计记录"
            f"(编号 {summary.first_id}–{summary.last_id},"
            f"早于 {timezone.localtime(datetime.fromisoformat(summary.before)):%Y-%m-%d %H:%M})"
        )

    def _archive(self, cutoff: datetime, directory: Path | None) -> None:
        record = audit_archive(
            before=cutoff, by=f"命令行 audit_archive({_login_name()})", directory=directory
        )
        when = f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"
        if record is None:
            self.stdout.write(f"没有早于 {when} 的审计记录,无需归档")
            return
        self.stdout.write(
            f"已归档 {record.rows} 条审计记录(编号 {record.first_id}–{record.last_id},"
            f"早于 {when})到 {record.file_name},签名已核验;这些记录已从数据库清理"
        )
