"""guanai restore ARCHIVE [--force]: a `guanai backup` archive back into an empty database and
MEDIA_ROOT, checked table by table and file by file against the archive's manifest."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.backup import backup_restore
from guanai.core.errors import DomainError
from guanai.ops.management.commands.backup import backup_key


class Command(BaseCommand):
    requires_system_checks = []  # an operator's tool: may run where the site is not set up yet
    help = "从 guanai backup 的加密备份恢复数据库和文件(密钥取自环境变量 GUANAI_BACKUP_KEY)"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库已有数据时也恢复(原有数据被替换)"
        )

    def handle(self, *args, archive, force, **options):
        key = backup_key()
        try:
            done = backup_restore(archive=Path(archive), key=key, force=force)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except (DatabaseError, sqlite3.Error) as exc:
            raise CommandError(
                f"目标数据库出错:{exc}(需连得上目标数据库,并且是它的所有者)"
            ) from exc
        if done.media_aside:
            self.stdout.write(f"原有文件已移到 {done.media_aside}")
        if done.differences:
            for line in done.differences:
                self.stderr.write(line)
            raise CommandError(f"恢复后与备份不一致:{len(done.differences)} 处")
        audit(
            actor=None,
            action=Action.CREATE,
            object_type="core.backup",
            object_id=Path(archive).name,
            label=str(archive)[:200],
            detail=f"从备份恢复:{done.tables} 张表 {done.rows} 行,{done.files} 个文件",
        )
        self.stdout.write(
            f"已从 {archive} 恢复:{done.tables} 张表 {done.rows} 行,{done.files} 个文件,"
            f"与备份一致(0 处不同),用时 {done.seconds:.1f} 秒"
        )
