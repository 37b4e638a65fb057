"""The next number of a yearly series, taken under a row lock: two clerks of one county never
get the same number, and a number is never given twice (the row is counted up in the caller's
transaction: rolled back with it, the number is given again, so there are no gaps either)."""

from django.db import transaction

from guanai.core.models import Counter


def next_number(series: str, county_code: str, year: int) -> int:
    """Count the series of the county and year up by one and return the new number."""
    with transaction.atomic():
        counter, _ = Counter.objects.get_or_create(
            series=series, county_code=county_code, year=year
        )
        counter = Counter.objects.select_for_update().get(pk=counter.pk)
        counter.last += 1
        counter.save(update_fields=["last"])
    return counter.last
