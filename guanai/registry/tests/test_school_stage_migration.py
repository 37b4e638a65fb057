"""就学情况 may be blank from migration 0006 on (issue 18.2): files saved before keep their value
and its meaning (a recorded 未入学 stays 未入学), and a new file starts blank (未填写). Migrated
in a separate process on a database of its own, like notices/tests/test_migration.py."""

import json
import os
import subprocess
import sys

from guanai.notices.tests.test_migration import scratch_database

BEFORE = ("registry", "0005_fact_reviews")
SCRIPT = """
import json
from datetime import date
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

call_command("migrate", "registry", "0005_fact_reviews", verbosity=0)
old = MigrationExecutor(connection).loader.project_state(("registry", "0005_fact_reviews")).apps
Division = old.get_model("geo", "Division")
Household = old.get_model("registry", "Household")
Child = old.get_model("registry", "Child")
village = Division.objects.create(code="360426001001", name="东风村", level="village")
household = Household.objects.create(division=village, division_code=village.code)
def child(name, **extra):
    return Child.objects.create(
        household=household, division=village, division_code=village.code, name=name,
        birth_date=date(2015, 1, 1), sex="M", **extra
    ).pk
ids = {"defaulted": child("甲"), "primary": child("乙", school_stage="primary")}
call_command("migrate", "registry", verbosity=0)
from guanai.registry.models import Child as Now
new = Now.objects.create(
    household_id=household.pk, division_id=village.pk, division_code=village.code, name="丙",
    birth_date=date(2016, 1, 1), sex="F",
)
stages = {key: Now.objects.get(pk=pk).school_stage for key, pk in ids.items()}
stages["new"] = Now.objects.get(pk=new.pk).school_stage
print(json.dumps(stages))
"""


def test_saved_stages_keep_their_meaning_and_new_files_start_blank(tmp_path):
    with scratch_database(tmp_path) as database_url:
        env = os.environ | {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "guanai.settings",
            "GUANAI_VAR_DIR": str(tmp_path),
            "GUANAI_NOTICE_BACKENDS": "",
        }
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=False
        )
    assert done.returncode == 0, done.stderr
    stages = json.loads(done.stdout.strip().splitlines()[-1])
    assert stages == {"defaulted": "none", "primary": "primary", "new": ""}
