"""Archiving old audit rows: export to a signed, compressed file, verify it, then prune.

The file is gzip-compressed JSON lines: a header, one line per audit row in id order, and a
trailer with the row count, the id range and the SHA-256 of the row lines. Beside it,
FILE.sig holds the HMAC-SHA256 of the compressed file under settings.AUDIT_ARCHIVE_KEY and
names the key. Rows leave the table only after the written file has been read back and
verified, in the transaction that records the archive (the database itself refuses any other
delete, migration 0004), and that pruning is itself audited.
"""

import gzip
import hashlib
import hmac
import json
import os
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guanai.audit.models import Action, AuditArchive, AuditEvent
from guanai.audit.services import audit, jsonable
from guanai.core.errors import DomainError

RETENTION_DAYS = 183  # 6 months at least (等保 2.0 level 3); the database holds the same floor
FORMAT = "guanai-audit-archive"
VERSION = 1
SIGNATURE_SUFFIX = ".sig"
FIELDS = [f.attname for f in AuditEvent._meta.concrete_fields]
CHUNK = 1 << 20


class ArchiveInvalid(DomainError):
    """A file that is not what guanai wrote, or was changed since, or has no valid signature."""


@dataclass(frozen=True)
class ArchiveSummary:
    path: Path
    rows: int
    first_id: int | None
    last_id: int | None
    before: str
    rows_sha256: str


def archive_key() -> bytes:
    if not settings.AUDIT_ARCHIVE_KEY:
        raise DomainError(
            gettext_lazy(
                "未设置审计归档签名密钥(环境变量 GUANAI_AUDIT_ARCHIVE_KEY),不能归档或核验审计记录"
            )
        )
    return settings.AUDIT_ARCHIVE_KEY.encode()


def key_id(key: bytes) -> str:
    """Names the key without giving it away, so a file says which key signed it."""
    return hmac.new(key, b"guanai audit archive key id", hashlib.sha256).hexdigest()[:16]


def retention_check(before: datetime, now: datetime) -> None:
    latest = now - timedelta(days=RETENTION_DAYS)
    if before > latest:
        raise DomainError(
            gettext_lazy("审计记录至少保留 %(days)s 天(6 个月):只能归档 %(latest)s 之前的记录"),
            days=RETENTION_DAYS,
            latest=f"{timezone.localtime(latest):%Y-%m-%d %H:%M}",
        )


def _line(value: dict) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode() + b"\n"


def _file_hmac(path: Path, key: bytes) -> tuple[str, str]:
    """(HMAC-SHA256, SHA-256) of the file's bytes."""
    mac, digest = hmac.new(key, digestmod=hashlib.sha256), hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            mac.update(block)
            digest.update(block)
    return mac.hexdigest(), digest.hexdigest()


def archive_write(before: datetime, directory: Path, key: bytes) -> ArchiveSummary:
    """Every audit row before the cut-off into a new signed file (the table is not touched)."""
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    path = directory / (
        f"audit-before-{timezone.localtime(before):%Y%m%d}-{now:%Y%m%dT%H%M%S}.jsonl.gz"
    )
    partial = path.with_name(path.name + ".partial")
    digest, rows, first_id, last_id = hashlib.sha256(), 0, None, None
    events = AuditEvent.objects.filter(at__lt=before).order_by("id").values(*FIELDS)
    with partial.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        header = {"format": FORMAT, "version": VERSION, "before": before.isoformat()}
        out.write(_line(header | {"created_at": now.isoformat(), "fields": FIELDS}))
        for values in events.iterator(chunk_size=2000):
            line = _line({name: jsonable(value) for name, value in values.items()})
            digest.update(line)
            out.write(line)
            rows += 1
            first_id = first_id or values["id"]
            last_id = values["id"]
        trailer = {"end": True, "rows": rows, "first_id": first_id, "last_id": last_id}
        out.write(_line(trailer | {"rows_sha256": digest.hexdigest()}))
    os.replace(partial, path)
    signature, file_sha256 = _file_hmac(path, key)
    sidecar = {
        "format": FORMAT,
        "file": path.name,
        "algorithm": "HMAC-SHA256",
        "key_id": key_id(key),
        "hmac": signature,
        "file_sha256": file_sha256,
    }
    signature_path(path).write_text(json.dumps(sidecar, indent=1) + "\n")
    return ArchiveSummary(path, rows, first_id, last_id, before.isoformat(), digest.hexdigest())


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + SIGNATURE_SUFFIX)


def archive_verify(path: Path) -> ArchiveSummary:
    """Check the signature, then that the content is whole; ArchiveInvalid says what is wrong."""
    key = archive_key()
    if not path.is_file():
        raise ArchiveInvalid(gettext_lazy("找不到归档文件 %(path)s"), path=path)
    try:
        sidecar = json.loads(signature_path(path).read_text())
    except FileNotFoundError as exc:
        raise ArchiveInvalid(
            gettext_lazy("缺少签名文件 %(name)s"), name=signature_path(path).name
        ) from exc
    except ValueError as exc:
        raise ArchiveInvalid(
            gettext_lazy("签名文件 %(name)s 无法读取"), name=signature_path(path).name
        ) from exc
    if sidecar.get("key_id") != key_id(key):
        raise ArchiveInvalid(
            gettext_lazy(
                "该文件由另一把密钥签名(密钥标识 %(signed_with)s),当前密钥标识 %(key_id)s"
            ),
            signed_with=sidecar.get("key_id"),
            key_id=key_id(key),
        )
    signature, _ = _file_hmac(path, key)
    if not hmac.compare_digest(signature, str(sidecar.get("hmac", ""))):
        raise ArchiveInvalid(gettext_lazy("签名不符:归档文件在签名之后被修改过"))
    try:
        return _content_check(path)
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError) as exc:
        raise ArchiveInvalid(gettext_lazy("归档文件内容不完整或格式不符:%(exc)s"), exc=exc) from exc


def _content_check(path: Path) -> ArchiveSummary:
    digest, rows, first_id, last_id = hashlib.sha256(), 0, None, None
    with gzip.open(path, "rb") as f:
        header = json.loads(f.readline())
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            raise ValueError("不是关爱审计归档文件")
        trailer = None
        for line in f:
            if trailer is not None:
                raise ValueError("结尾记录之后还有内容")
            value = json.loads(line)
            if value.get("end") is True:
                trailer = value
                continue
            digest.update(line)
            rows += 1
            first_id = first_id or value["id"]
            last_id = value["id"]
    if trailer is None:
        raise ValueError("缺少结尾记录")
    found = {"rows": rows, "first_id": first_id, "last_id": last_id}
    if {k: trailer.get(k) for k in found} != found or trailer["rows_sha256"] != digest.hexdigest():
        raise ValueError("条数、编号范围或摘要与结尾记录不符")
    return ArchiveSummary(path, rows, first_id, last_id, header["before"], digest.hexdigest())


def audit_archive(
    *, before: datetime, by: str, directory: Path | None = None
) -> AuditArchive | None:
    """Export the rows before the cut-off, verify the file, then prune them; None if none."""
    retention_check(before, timezone.now())
    key = archive_key()
    # Written outside the transaction: rows before the cut-off no longer change (append-only,
    # new rows are stamped now), and the delete below checks it took exactly what was written.
    written = archive_write(before, Path(directory or settings.AUDIT_ARCHIVE_DIR), key)
    if written.rows == 0:
        written.path.unlink()
        signature_path(written.path).unlink()
        return None
    verified = archive_verify(written.path)
    if verified != written:
        raise ArchiveInvalid(
            gettext_lazy("写出的归档文件读回后与写入的内容不符:%(path)s"), path=written.path
        )
    _, file_sha256 = _file_hmac(written.path, key)
    with transaction.atomic():
        record = AuditArchive.objects.create(
            created_by=by[:150],
            before=before,
            first_id=written.first_id,
            last_id=written.last_id,
            rows=written.rows,
            file_name=written.path.name,
            file_sha256=file_sha256,
            signature=json.loads(signature_path(written.path).read_text())["hmac"],
            key_id=key_id(key),
        )
        deleted, _ = AuditEvent.objects.filter(
            id__gte=written.first_id, id__lte=written.last_id, at__lt=before
        ).delete()
        if deleted != written.rows:
            raise DomainError(
                gettext_lazy(
                    "归档了 %(rows)s 条,清理时却是 %(deleted)s 条:已撤销清理,文件 %(name)s 保留,请查明后重试"
                ),
                rows=written.rows,
                deleted=deleted,
                name=written.path.name,
            )
        audit(
            actor=by,
            action=Action.PRUNE,
            object_type="audit.auditarchive",
            object_id=str(record.pk),
            label=written.path.name,
            detail=f"归档并清理 {written.rows} 条审计记录(编号 {written.first_id}–"
            f"{written.last_id},早于 {timezone.localtime(before):%Y-%m-%d %H:%M}),"
            f"签名 {record.signature[:16]}…",
        )
    return record
