"""Builders for tests (here and in the jurisdiction probe)."""

from guanai.ingest.models import ImportBatch, ReviewPair, SourceRecord
from guanai.registry.models import Child


def review_pair_build(child: Child, *, name: str = "", line: int = 2) -> ReviewPair:
    batch, _ = ImportBatch.objects.get_or_create(
        source="civil",
        file_sha256="0" * 64,
        defaults={"file_name": "名册.csv", "division_code": child.division_code},
    )
    record, _ = SourceRecord.objects.get_or_create(
        source="civil",
        natural_key=f"nb:{child.pk}:{line}",
        row_sha256=str(line),
        defaults={
            "batch": batch,
            "line": line,
            "raw": {"姓名": name or child.name},
            "division_code": child.division_code,
            "name": name or child.name,
            "birth_date": child.birth_date,
            "sex": child.sex,
        },
    )
    pair, _ = ReviewPair.objects.get_or_create(
        record=record,
        child=child,
        defaults={
            "division_code": child.division_code,
            "score": 9.0,
            "reasons": ["姓名同音", "出生日期相同"],
        },
    )
    return pair
