"""The yearly counters moved to core.Counter: the counts given so far by protection's and the
window's own counters are carried over (the next number follows on), carried back when the
migrations are reversed, and forward again; on a database of its own (SQLite, or a scratch
database beside the test database on PostgreSQL), in a separate process."""

from guanai.core.testing import migration_script_run

SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
from django.db import connection

def migrate(*args):
    call_command("migrate", *args, verbosity=0)

def old_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT county_code, year, last FROM protection_casecounter ORDER BY 1, 2")
        cases = [list(r) for r in cursor.fetchall()]
        cursor.execute("SELECT county_code, year, last FROM window_applicationcounter ORDER BY 1, 2")
        return cases, [list(r) for r in cursor.fetchall()]

migrate()
migrate("window", "0003")
migrate("protection", "0002")
assert "core_counter" in connection.introspection.table_names()  # core stays, empty
with connection.cursor() as cursor:
    for code, year, last in [("360426", 2026, 41), ("360426", 2025, 7), ("360481", 2026, 3)]:
        cursor.execute(
            "INSERT INTO protection_casecounter (county_code, year, last) VALUES (%s, %s, %s)",
            [code, year, last],
        )
    for code, year, last in [("360426", 2026, 12), ("360426Z", 2026, 30)]:
        cursor.execute(
            "INSERT INTO window_applicationcounter (county_code, year, last) VALUES (%s, %s, %s)",
            [code, year, last],
        )
before = old_rows()
migrate()
from guanai.core.counters import next_number
from guanai.core.models import Counter
carried = sorted([c.series, c.county_code, c.year, c.last] for c in Counter.objects.all())
tables = connection.introspection.table_names()
following = [
    next_number("protection.case", "360426", 2026),
    next_number("window.application", "360426", 2026),
    next_number("window.referral", "360426", 2026),
    next_number("window.referral", "360481", 2026),
]
migrate("window", "0003")
migrate("protection", "0002")
back = old_rows()
left = Counter.objects.count()
migrate()
again = sorted([c.series, c.county_code, c.year, c.last] for c in Counter.objects.all())
print(json.dumps({
    "before": before, "carried": carried, "following": following, "back": back, "left": left,
    "again": again,
    "old_tables": [t for t in tables if t in ("protection_casecounter", "window_applicationcounter")],
}))
"""


def test_the_counts_so_far_move_to_core_and_back(tmp_path):
    result = migration_script_run(SCRIPT, tmp_path)
    assert result["carried"] == [
        ["protection.case", "360426", 2025, 7],
        ["protection.case", "360426", 2026, 41],
        ["protection.case", "360481", 2026, 3],
        ["window.application", "360426", 2026, 12],
        ["window.referral", "360426", 2026, 30],
    ]
    assert result["old_tables"] == []
    assert result["following"] == [42, 13, 31, 1]  # the numbers go on; a new county starts at 1
    cases, window = result["back"]
    assert cases == [["360426", 2025, 7], ["360426", 2026, 42], ["360481", 2026, 3]]
    assert window == [["360426", 2026, 13], ["360426Z", 2026, 31], ["360481Z", 2026, 1]]
    assert result["left"] == 0
    assert [row[-1] for row in result["again"]] == [7, 42, 3, 13, 31, 1]
