"""The bulk helper for benchmarks: real due items, records that fulfil them, some carers over."""

from datetime import date

import pytest
from django.db.models import F

from guanai.care.bulk import care_bulk
from guanai.care.models import CareRecord, DueItem, DueStatus, Pairing
from guanai.core.errors import DomainError
from guanai.testing.factories import child_build


@pytest.mark.django_db
def test_it_pairs_children_and_fulfils_items_with_records(place, children):
    for i in range(30):
        child_build(place.village_a if i % 2 else place.village_c, f"批量{i}", with_id=False)
    result = care_bulk(
        county_code=place.county.code, year=2025, seed=3, paired=0.9, today=date(2025, 11, 20)
    )
    assert result.pairings == Pairing.objects.count() > 20
    assert result.due_items == DueItem.objects.count() > 0
    done = DueItem.objects.filter(status=DueStatus.DONE)
    assert result.records == CareRecord.objects.count() == done.count() > 0
    # Every done item points at a record of its own child, carer and activity, in its period.
    assert not done.exclude(
        fulfilled_by__child_id=F("child_id"),
        fulfilled_by__carer_id=F("carer_id"),
        fulfilled_by__activity=F("activity"),
        fulfilled_by__date__gte=F("period_start"),
        fulfilled_by__date__lte=F("period_end"),
    ).exists()
    assert not CareRecord.objects.filter(date__gt=date(2025, 11, 20)).exists()
    with pytest.raises(DomainError):
        care_bulk(county_code=place.county.code, year=2025, seed=3, today=date(2025, 11, 20))
