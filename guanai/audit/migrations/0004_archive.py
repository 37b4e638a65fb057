"""The audit archive, and the one way audit rows may leave the table.

An audit row may be deleted only if it is older than the retention (183 days, by the database's
own clock) and an archive record covers it (its id in the record's range, its time before the
record's cut-off): `guanai audit_archive` writes that record after the signed file is verified.
Updates stay refused; archive records themselves are append-only.
"""

from django.db import migrations, models

RETENTION_DAYS = 183  # frozen here; guanai.audit.archive.RETENTION_DAYS must not be lower

SQLITE = [
    "DROP TRIGGER audit_event_no_delete",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN OLD.at >= datetime('now', '-{RETENTION_DAYS} days') OR NOT EXISTS (
           SELECT 1 FROM audit_auditarchive a
           WHERE OLD.id BETWEEN a.first_id AND a.last_id AND OLD.at < a.before)
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    """CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON audit_auditarchive
       BEGIN SELECT RAISE(ABORT, 'audit archive is append-only'); END;""",
    """CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON audit_auditarchive
       BEGIN SELECT RAISE(ABORT, 'audit archive is append-only'); END;""",
]
SQLITE_BACK = [
    "DROP TRIGGER audit_archive_no_update",
    "DROP TRIGGER audit_archive_no_delete",
    "DROP TRIGGER audit_event_no_delete",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           IF OLD.at < now() - interval '{RETENTION_DAYS} days' AND EXISTS (
               SELECT 1 FROM audit_auditarchive a
               WHERE OLD.id BETWEEN a.first_id AND a.last_id AND OLD.at < a.before) THEN
             RETURN OLD;
           END IF;
         END IF;
         RAISE EXCEPTION 'audit log is append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION audit_archive_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit archive is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_archive_no_change BEFORE UPDATE OR DELETE ON audit_auditarchive
       FOR EACH ROW EXECUTE FUNCTION audit_archive_append_only();""",
    """CREATE TRIGGER audit_archive_no_truncate BEFORE TRUNCATE ON audit_auditarchive
       FOR EACH STATEMENT EXECUTE FUNCTION audit_archive_append_only();""",
]
POSTGRES_BACK = [
    "DROP TRIGGER audit_archive_no_change ON audit_auditarchive",
    "DROP TRIGGER audit_archive_no_truncate ON audit_auditarchive",
    "DROP FUNCTION audit_archive_append_only()",
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_refused_search_prune_actions"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditArchive",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                ("created_by", models.CharField(max_length=150, verbose_name="操作人")),
                ("before", models.DateTimeField(verbose_name="早于")),
                ("first_id", models.BigIntegerField(verbose_name="起始编号")),
                ("last_id", models.BigIntegerField(verbose_name="截止编号")),
                ("rows", models.PositiveIntegerField(verbose_name="条数")),
                ("file_name", models.CharField(max_length=255, verbose_name="文件")),
                ("file_sha256", models.CharField(max_length=64)),
                ("signature", models.CharField(max_length=64, verbose_name="签名")),
                ("key_id", models.CharField(max_length=16)),
            ],
            options={
                "verbose_name": "审计归档",
                "verbose_name_plural": "审计归档",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK}),
        ),
    ]
