"""Audit retention: rows older than 6 months go to signed files, and only that way."""

import gzip
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from guanai.audit.archive import RETENTION_DAYS, signature_path
from guanai.audit.models import Action, AppendOnlyError, AuditArchive, AuditEvent
from guanai.audit.services import audit


def event_aged(days: int, label: str, actor=None) -> AuditEvent:
    """An audit row written `days` ago (the row's time is set on insert, so the clock is moved)."""
    then = timezone.now() - timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=then):
        return audit(actor=actor, action=Action.VIEW, label=label, detail="旧记录")


@pytest.fixture
def archive_dir(settings, tmp_path):
    settings.AUDIT_ARCHIVE_KEY = "test-archive-key-0123456789"
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    return tmp_path


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_archive", *args, stdout=out)
    return out.getvalue()


def only_file(directory):
    files = sorted(directory.glob("*.jsonl.gz"))
    assert len(files) == 1, files
    return files[0]


@pytest.mark.django_db
def test_it_archives_verifies_and_prunes_old_rows(archive_dir, users):
    old = [event_aged(400, "去年"), event_aged(200, "半年多前", users["county"])]
    young = [event_aged(100, "三个月前"), audit(actor=users["county"], action=Action.VIEW)]
    output = run("--older-than-days", "190")
    assert "已归档 2 条审计记录" in output
    path = only_file(archive_dir)
    assert signature_path(path).is_file()
    # The file holds the old rows as they were, in id order, between a header and a trailer.
    lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    assert lines[0]["format"] == "guanai-audit-archive"
    assert [row["object_label"] for row in lines[1:-1]] == ["去年", "半年多前"]
    assert lines[-2]["actor_id"] == users["county"].pk
    assert lines[-1] == lines[-1] | {"end": True, "rows": 2, "first_id": old[0].pk}
    # Only the old rows left the table; the pruning is itself on record.
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 2
    record = AuditArchive.objects.get()
    assert (record.rows, record.first_id, record.last_id) == (2, old[0].pk, old[1].pk)
    prune = AuditEvent.objects.get(action=Action.PRUNE)
    assert prune.object_id == str(record.pk) and prune.object_label == path.name
    assert "归档并清理 2 条" in prune.detail
    assert "签名有效,内容完整:2 条审计记录" in run("--verify", str(path))


@pytest.mark.django_db
def test_it_takes_a_day_as_the_cut_off(archive_dir, users):
    event_aged(300, "旧")
    kept = event_aged(250, "较新")
    day = timezone.localdate() - timedelta(days=270)
    assert "已归档 1 条" in run("--before", day.isoformat())
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert "没有早于" in run("--before", day.isoformat())


@pytest.mark.django_db
def test_it_refuses_rows_younger_than_six_months(archive_dir, users):
    event_aged(100, "三个月前")
    event_aged(200, "半年多前")
    count = AuditEvent.objects.count()
    for args in (
        ("--older-than-days", "100"),
        ("--older-than-days", str(RETENTION_DAYS - 1)),
        ("--before", str(timezone.localdate() - timedelta(days=30))),
    ):
        with pytest.raises(CommandError, match="至少保留 183 天"):
            run(*args)
    assert AuditEvent.objects.count() == count
    assert list(archive_dir.iterdir()) == []
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--before", "2026-13-01")
    for wrong in ("abc", "0", "99999999999"):
        with pytest.raises(CommandError, match="天数应为"):
            run("--older-than-days", wrong)


@pytest.mark.django_db
def test_a_tampered_file_fails_verification(archive_dir, users):
    event_aged(300, "原文")
    run("--older-than-days", "200")
    path = only_file(archive_dir)
    original = gzip.decompress(path.read_bytes())
    # A well-formed file with one row changed, and one cut short.
    path.write_bytes(gzip.compress(original.replace("原文".encode(), "改过".encode())))
    with pytest.raises(CommandError, match="签名不符"):
        run("--verify", str(path))
    path.write_bytes(gzip.compress(original)[:-20])
    with pytest.raises(CommandError, match="签名不符"):
        run("--verify", str(path))


@pytest.mark.django_db
def test_a_file_needs_its_signature_and_the_same_key(archive_dir, users, settings):
    event_aged(300, "原文")
    run("--older-than-days", "200")
    path = only_file(archive_dir)
    settings.AUDIT_ARCHIVE_KEY = "another-key"
    with pytest.raises(CommandError, match="另一把密钥"):
        run("--verify", str(path))
    settings.AUDIT_ARCHIVE_KEY = "test-archive-key-0123456789"
    signature_path(path).unlink()
    with pytest.raises(CommandError, match="缺少签名文件"):
        run("--verify", str(path))


@pytest.mark.django_db
def test_it_needs_a_key(archive_dir, settings):
    settings.AUDIT_ARCHIVE_KEY = ""
    event_aged(300, "旧")
    with pytest.raises(CommandError, match="GUANAI_AUDIT_ARCHIVE_KEY"):
        run("--older-than-days", "200")
    assert AuditEvent.objects.filter(object_label="旧").exists()


@pytest.mark.django_db
def test_the_database_deletes_only_archived_old_rows(archive_dir):
    old = event_aged(300, "旧")
    young = event_aged(10, "新")
    for event in (old, young):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    # An archive record covering a young row does not let it go either (the 183-day floor).
    AuditArchive.objects.create(
        created_by="测试",
        before=timezone.now(),
        first_id=young.pk,
        last_id=young.pk,
        rows=1,
        file_name="x",
        file_sha256="0",
        signature="0",
        key_id="0",
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=young.pk).delete()
    assert AuditEvent.objects.filter(pk__in=[old.pk, young.pk]).count() == 2


@pytest.mark.django_db
def test_archive_records_are_append_only(archive_dir, users):
    event_aged(300, "旧")
    run("--older-than-days", "200")
    record = AuditArchive.objects.get()
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    for change in (lambda q: q.update(rows=0), lambda q: q.delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change(AuditArchive.objects.all())
