"""The sample departmental rosters of a seeded county import as a user would import them."""

from io import StringIO

import pytest
from django.core.management import call_command

from guanai.ingest.models import SourceRecord
from guanai.ingest.services import roster_import
from guanai.registry.models import Child
from guanai.synth.rosters import department_rosters

COUNTY = "360426"
pytestmark = pytest.mark.django_db


@pytest.fixture
def rosters(tmp_path):
    call_command("seed", county_code=COUNTY, children=400, seed=5, stdout=StringIO())
    return {p.name.split("_")[0]: p for p in department_rosters(tmp_path, COUNTY, share=0.5)}


def test_every_department_roster_imports_and_links(rosters):
    on_file = Child.objects.count()
    police = roster_import(actor=None, path=rosters["公安"], source="police")
    # Everyone with a number links by it; the adults in the extract are left out.
    assert police.adults == 3 and police.created == 0 and police.review == 0
    assert police.linked == police.rows - 3

    school = roster_import(actor=None, path=rosters["教育"], source="education")
    # The pupils who moved in open files; their village is read from the address.
    assert school.created > 0 and school.review == 0
    assert school.linked + school.created == school.rows
    assert Child.objects.count() == on_file + school.created
    newcomer = SourceRecord.objects.filter(batch_id=school.batch_id, link_method="created").first()
    assert newcomer.child.division_code == newcomer.division_code != ""

    disabled = roster_import(actor=None, path=rosters["残联"], source="disabled")
    assert disabled.adults == 3 and disabled.created == 0
    assert disabled.linked == disabled.rows - 3 > 0

    ledger = roster_import(actor=None, path=rosters["民政"], source="civil")
    assert ledger.created == 0 and ledger.linked == ledger.rows > 0
    sheets = set(
        SourceRecord.objects.filter(batch_id=ledger.batch_id).values_list("sheet", flat=True)
    )
    assert ledger.skipped == 5 * len(sheets)  # three empty numbered lines, 合计, the signatures

    again = roster_import(actor=None, path=rosters["民政"], source="civil")
    assert again.already_imported
