"""guanai backup / guanai restore: a seeded county round-tripped through an encrypted archive.

The commands run as the operator runs them, in processes of their own, on databases of their own
(an SQLite file, or a PostgreSQL database beside the test database): a backup made by another
connection could not see rows the test's own transaction has not committed.
"""

import io
import os
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from guanai.core import backup
from guanai.core.testing import Site

KEY = "correct horse battery staple 42"


@pytest.fixture
def sites(tmp_path):
    made = []

    def site(name: str) -> Site:
        made.append(Site(tmp_path, name, KEY))
        return made[-1]

    yield site
    for each in made:
        each.drop()


def _media(site: Site) -> None:
    """Attachments and a stored upload as the app leaves them, binary and with Chinese names."""
    photo = site.media / "attachments" / "2026" / "12" / "照片 1.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(os.urandom(300_000))
    upload = site.media / "imports" / uuid.uuid4().hex / "学生名册.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("姓名,出生日期\n张三,2015-01-01\n", encoding="utf-8")
    (site.media / "reports").mkdir()
    (site.media / "reports" / "1-quarterly.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)))


def _flip(archive: Path, at: int, into: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[at] ^= 0x01
    into.write_bytes(data)
    return into


def test_a_seeded_county_round_trips_every_table_and_file(sites, tmp_path):
    source = sites("source")
    source.ok("migrate", "-v0")
    source.ok("seed", "--county-code", "360426", "--children", "40", "--seed", "7")
    _media(source)
    before = source.tables()
    files = backup.file_fingerprints(source.media)
    archive = tmp_path / "county.guanai-backup"

    out = source.ok("backup", "--out", str(archive))

    assert "已备份到" in out and "3 个文件" in out
    assert archive.stat().st_mode & 0o077 == 0  # for the operator only
    assert b"\xe5\xbc\xa0\xe4\xb8\x89" not in archive.read_bytes()  # 张三: nothing in clear
    assert before["registry_child"][0] == 40 and len(before) > 30

    # A wrong key, and an archive changed in one byte or cut short, touch nothing.
    target = sites("target")
    wrong = target.run("restore", str(archive), key="not the key at all, sorry")
    assert wrong.returncode == 1 and "备份密钥不对" in wrong.stderr
    flipped = _flip(archive, archive.stat().st_size // 2, tmp_path / "flipped.guanai-backup")
    refused = target.run("restore", str(flipped))
    assert refused.returncode == 1 and "已损坏或被改动过" in refused.stderr, refused.stderr
    assert not target.media.exists() or not any(target.media.rglob("*.*"))
    with target.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert backup.sqlite_tables(cursor.connection) == []
        else:
            assert backup.postgres_tables(cursor) == []

    out = target.ok("restore", str(archive))

    assert "0 处不同" in out
    after = target.tables()
    assert after == before  # every table: row count and content
    assert backup.file_fingerprints(target.media) == files  # every file: size and content

    # Restored into a database that holds data: refused, unless forced.
    again = target.run("restore", str(archive))
    assert again.returncode == 1 and "已有数据" in again.stderr
    out = target.ok("restore", str(archive), "--force")
    assert "0 处不同" in out and "原有文件已移到" in out
    assert target.tables() == before
    assert backup.file_fingerprints(target.media) == files


def test_backup_needs_a_key_of_some_length(monkeypatch, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    monkeypatch.delenv("GUANAI_BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match="GUANAI_BACKUP_KEY"):
        call_command("backup")
    monkeypatch.setenv("GUANAI_BACKUP_KEY", "short")
    with pytest.raises(CommandError, match="备份密钥太短"):
        call_command("backup")
    assert list(tmp_path.iterdir()) == []
    out = io.StringIO()
    call_command("backup", "--generate-key", stdout=out)
    assert len(out.getvalue().strip()) >= 32
