from datetime import date

from guanai.audit.models import AuditEvent
from guanai.core.bulk import insert_many
from guanai.ingest.models import ImportBatch, SourceRecord


def test_insert_many_stores_dates_json_and_times_and_sets_ids(db):
    batch = ImportBatch.objects.create(source="civil", file_name="a.csv", file_sha256="x")
    rows = [
        SourceRecord(
            batch=batch,
            source="civil",
            line=n,
            natural_key=f"k{n}",
            row_sha256="h",
            raw={"姓名": f"张{n}", "生日": "2015-03-09"},
            division_code="360426001001",
            name=f"张{n}",
            birth_date=date(2015, 3, n + 1),
            values={"phone": "138"},
        )
        for n in range(3)
    ]
    insert_many(SourceRecord, rows)
    assert all(r.pk for r in rows) and len({r.pk for r in rows}) == 3
    stored = SourceRecord.objects.get(pk=rows[2].pk)
    assert stored.name == "张2" and stored.birth_date == date(2015, 3, 3)
    assert stored.raw == {"姓名": "张2", "生日": "2015-03-09"} and stored.values == {"phone": "138"}
    event = AuditEvent(action="create", object_type="x", object_id="1", detail="导入")
    insert_many(AuditEvent, [event])
    assert AuditEvent.objects.get(pk=event.pk).at is not None
