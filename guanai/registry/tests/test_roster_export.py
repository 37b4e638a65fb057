from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guanai.audit.models import Action, AuditEvent
from guanai.registry import reports
from guanai.registry.models import Guardian
from guanai.registry.reports import ROSTER_COLUMNS, spreadsheet_safe
from guanai.testing.factories import child_build

HEADER = [name for name, _ in ROSTER_COLUMNS]
COLUMN = {name: index for index, name in enumerate(HEADER)}


def export(client, **query):
    return client.get(reverse("registry:child_roster_export"), query)


def sheet_of(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return load_workbook(BytesIO(content)).active


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=3, values_only=True))


def names_in(sheet) -> set[str]:
    return {row[COLUMN["姓名"]] for row in rows_of(sheet)}


@pytest.fixture
def detailed(children):
    """Child A with a guardian's phone and a disability: the fields that get masked."""
    child = children["a"]
    Guardian.objects.create(
        child=child, name="张德福", relation="grandparent_paternal", phone="13607929876"
    )
    child.disability_category = "hearing"
    child.disability_grade = 3
    child.save()
    return child


@pytest.mark.django_db
class TestExport:
    def test_it_has_title_header_and_frozen_panes(self, login, users, children):
        response = export(login(users["supervisor_1"]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "filename*=utf-8''" in response["Content-Disposition"]
        sheet = sheet_of(response)
        today = timezone.localdate()
        assert sheet["A1"].value == f"德安县蒲亭镇 儿童花名册 {today:%Y-%m-%d}"
        assert [c.value for c in sheet[2]] == HEADER
        assert sheet.freeze_panes == "A3"
        assert sheet.column_dimensions["F"].width == 20  # 身份证号
        assert names_in(sheet) == {"张小明", "李小红"}  # township 1 only, not 王小刚
        first = rows_of(sheet)[0]
        assert first[COLUMN["序号"]] == 1 and isinstance(first[COLUMN["年龄"]], int)

    def test_a_director_exports_only_their_village(self, login, users, children):
        """The probe cannot read a binary xlsx: check here that village B never reaches A."""
        sheet = sheet_of(export(login(users["director_a"])))
        assert names_in(sheet) == {"张小明"}
        village_b = children["b"]
        every_cell = {str(v) for row in rows_of(sheet) for v in row}
        assert village_b.name not in every_cell and village_b.division.name not in every_cell

    def test_a_director_cannot_widen_scope_by_filter(self, login, users, children):
        sheet = sheet_of(export(login(users["director_a"]), division=children["b"].division_id))
        assert "李小红" not in names_in(sheet)

    def test_it_follows_the_list_filters(self, login, users, children):
        client = login(users["supervisor_1"])
        sheet = sheet_of(export(client, division=children["b"].division_id))
        assert names_in(sheet) == {"李小红"}
        assert sheet["A1"].value.startswith("德安县蒲亭镇青石村 儿童花名册")
        assert names_in(sheet_of(export(client, q="zxm"))) == {"张小明"}

    def test_roles_that_may_reveal_get_full_values(self, login, users, detailed):
        row = rows_of(sheet_of(export(login(users["county"]))))[0]
        assert row[COLUMN["身份证号"]] == detailed.id_number
        assert row[COLUMN["联系电话"]] == "13607929876"
        assert row[COLUMN["残疾类别/等级"]] == "听力残疾 三级"
        assert row[COLUMN["监护人"]] == "张德福" and row[COLUMN["关系"]] == "祖父母"

    def test_other_roles_get_masked_values(self, login, users, detailed):
        row = next(
            r for r in rows_of(sheet_of(export(login(users["department"])))) if r[1] == "张小明"
        )
        assert row[COLUMN["身份证号"]] == "360426********" + detailed.id_number[-4:]
        assert row[COLUMN["联系电话"]] == "136****9876"
        assert row[COLUMN["残疾类别/等级"]] == "******"

    def test_formula_injection_is_neutralised(self, login, users, place):
        child = child_build(place.village_a, '=HYPERLINK("http://evil.example","点我")')
        child.household.address = "@SUM(1+1)"
        child.household.save()
        sheet = sheet_of(export(login(users["director_a"])))
        row = next(r for r in sheet.iter_rows(min_row=3) if "HYPERLINK" in str(r[1].value))
        assert row[COLUMN["姓名"]].value == '\'=HYPERLINK("http://evil.example","点我")'
        assert row[COLUMN["姓名"]].data_type == "s"
        assert row[COLUMN["家庭住址"]].value == "'@SUM(1+1)"

    def test_it_is_audited_with_filter_and_row_count(self, login, users, children):
        export(login(users["supervisor_1"]), q="张", include_inactive="on")
        event = AuditEvent.objects.get(action=Action.EXPORT)
        assert event.actor == users["supervisor_1"]
        assert event.detail == "导出花名册 1 人;条件:查询“张”、含已注销"
        assert event.division_code == users["supervisor_1"].division.code

    def test_carers_may_not_export(self, login, users, children):
        assert export(login(users["carer_a"])).status_code == 404
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

    def test_the_list_page_carries_its_filters_to_the_export(self, login, users, children):
        client = login(users["supervisor_1"])
        body = client.get(reverse("registry:child_list"), {"q": "张"}).content.decode()
        assert f"{reverse('registry:child_roster_export')}?q=%E5%BC%A0" in body
        partial = client.get(reverse("registry:child_list"), {"q": "李"}, HTTP_HX_REQUEST="true")
        assert "export.xlsx?q=%E6%9D%8E" in partial.content.decode()

    def test_the_list_page_offers_no_export_to_carers(self, login, users, children):
        body = login(users["carer_a"]).get(reverse("registry:child_list")).content.decode()
        assert "导出花名册" not in body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-3", "'-3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("张三", "张三"),
        ("a\x07b", "ab"),  # control characters are not allowed in xlsx at all
        (7, 7),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


@pytest.mark.django_db
def test_rows_stream_in_chunks(users, children, monkeypatch, django_assert_max_num_queries):
    """Three children, chunks of two: two chunks, each one query for children, one for guardians."""
    monkeypatch.setattr(reports, "ROSTER_CHUNK", 2)
    rows = reports.roster_rows(
        users["county"], reports.selectors.ChildFilters(), today=timezone.localdate()
    )
    with django_assert_max_num_queries(4):
        assert [row[0] for row in rows] == [1, 2, 3]
