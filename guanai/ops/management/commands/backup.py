"""guanai backup [--out FILE] [--keep N] | --generate-key: the database and MEDIA_ROOT in one
encrypted archive (guanai.core.backup), the passphrase from GUANAI_BACKUP_KEY. For cron."""

import os
import secrets
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.backup import backup_create
from guanai.core.errors import DomainError

KEY_VARIABLE = "GUANAI_BACKUP_KEY"
SUFFIX = ".guanai-backup"


def backup_key() -> str:
    key = os.environ.get(KEY_VARIABLE, "")
    if not key:
        raise CommandError(
            f"未设置备份密钥:请在环境变量 {KEY_VARIABLE} 中提供(guanai backup --generate-key 可生成一个)"
        )
    return key


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


class Command(BaseCommand):
    requires_system_checks = []  # an operator's tool: may run where the site is not set up yet
    help = "备份数据库和附件、上传文件到一个加密文件(密钥取自环境变量 GUANAI_BACKUP_KEY)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help=f"备份文件路径(默认 {settings.BACKUP_DIR}/guanai-时间{SUFFIX})"
        )
        parser.add_argument(
            "--keep", type=int, help="只保留备份目录中最新的 N 份备份,更早的删除(与 --out 同目录)"
        )
        parser.add_argument(
            "--generate-key", action="store_true", help="生成一个新的备份密钥并显示"
        )

    def handle(self, *args, out, keep, generate_key, **options):
        if generate_key:
            self.stdout.write(secrets.token_urlsafe(32))
            return
        if keep is not None and keep < 1:
            raise CommandError("--keep 应为正整数")
        key = backup_key()
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(out) if out else Path(settings.BACKUP_DIR) / f"guanai-{stamp}{SUFFIX}"
        if path.exists():
            raise CommandError(f"备份文件已存在:{path}")
        try:
            done = backup_create(out=path, key=key)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except (DatabaseError, sqlite3.Error) as exc:
            raise CommandError(f"读取数据库出错,未备份:{exc}") from exc
        audit(
            actor=None,
            action=Action.EXPORT,
            object_type="core.backup",
            object_id=path.name,
            label=str(path)[:200],
            detail=f"备份:{done.tables} 张表 {done.rows} 行,{done.files} 个文件,{_size(done.size)}",
        )
        self.stdout.write(
            f"已备份到 {path}:{done.tables} 张表 {done.rows} 行,{done.files} 个文件,"
            f"{_size(done.size)},用时 {done.seconds:.1f} 秒"
        )
        if keep:
            self._prune(path.parent, keep)

    def _prune(self, folder: Path, keep: int) -> None:
        archives = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in archives[keep:]:
            old.unlink()
            self.stdout.write(f"已删除较早的备份 {old.name}")
