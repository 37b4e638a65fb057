"""Notices written before the move (care's table) are there after `migrate`, on a database of
their own (SQLite, or a scratch database beside the test database on PostgreSQL), migrated in
a separate process: the test database stays as it is, and no test runs transactional."""

from guanai.core.testing import migration_script_run

# Back to the schema before the move (care_notice, as on main), rows written there the way
# care wrote them, then forward again.
SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

for app in ("accounts", "notices"):  # the apps that hold users and notices, not the rest
    call_command("migrate", app, verbosity=0)
call_command("migrate", "notices", "zero", verbosity=0)
assert "care_notice" in connection.introspection.table_names()
from guanai.accounts.models import User
owner = User.objects.create(username="owner", role="carer")
now = timezone.now()
with connection.cursor() as cursor:
    for key, read_at in [("flag:1", None), ("remind:1", now)]:
        cursor.execute(
            "INSERT INTO care_notice (user_id, kind, key, title, body, url, created_at, read_at)"
            " VALUES (%s, 'flag', %s, '旧通知', '内容', '/care/flags/', %s, %s)",
            [owner.pk, key, now, read_at],
        )
call_command("migrate", "notices", verbosity=0)
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.selectors import unread_count
kept = list(Notice.objects.order_by("id").values("id", "user__username", "key", "title", "url"))
new = Notice.objects.create(user=owner, kind=NoticeKind.ESCALATION, key="lapse:1", title="新")
print(json.dumps({
    "tables": sorted(t for t in connection.introspection.table_names() if "notice" in t),
    "kept": kept,
    "new_id": new.pk,
    "unread": unread_count(owner),
}))
"""


def test_notices_stored_before_the_move_survive_it(tmp_path):
    result = migration_script_run(SCRIPT, tmp_path)
    assert result["tables"] == ["notices_notice"]
    assert [(n["key"], n["user__username"], n["title"]) for n in result["kept"]] == [
        ("flag:1", "owner", "旧通知"),
        ("remind:1", "owner", "旧通知"),
    ]
    assert result["new_id"] > max(n["id"] for n in result["kept"])  # the sequence came along
    assert result["unread"] == 2  # flag:1 and the new one
