"""就学情况 may be blank from migration 0007 on (issue 18.2): files saved before keep their value
and its meaning (a recorded 未入学 stays 未入学), and a new file starts blank (未填写). Migrated
in a separate process on a database of its own, with core.testing.migration_script_run."""

from guanai.core.testing import migration_script_run

SCRIPT = """
import json
from datetime import date
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

call_command("migrate", "registry", "0006_parent_restrictions_of_liberty", verbosity=0)
old = MigrationExecutor(connection).loader.project_state(("registry", "0006_parent_restrictions_of_liberty")).apps
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
    stages = migration_script_run(SCRIPT, tmp_path)
    assert stages == {"defaulted": "none", "primary": "primary", "new": ""}
