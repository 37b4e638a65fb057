"""The file form as a director uses it on a phone (issue 18.1, 18.2): the essentials first, marks
before saving, every problem at once with a summary, checks as it is typed, and the implausible
asked before it is saved."""

import re
from datetime import date

import pytest
from django.urls import reverse

from guanai.registry import idnumber
from guanai.registry.models import Child, Guardian
from guanai.testing.factories import COUNTY

NUMBER = idnumber.make(region_code=COUNTY, birth_date=date(2016, 5, 4), sequence=7, sex="F")


def left_behind(**extra):
    """A left-behind girl of 10 as a director registers her: the essentials and a school."""
    return {
        "name": "陈小雨",
        "id_number": NUMBER,
        "father_status": "working_away",
        "father_away_destination": "广东省东莞市",
        "mother_status": "working_away",
        "mother_away_destination": "浙江省宁波市",
        "guardian_name": "陈奶奶",
        "guardian_relation": "grandparent_paternal",
        "guardian_phone": "13800001234",
        "school_stage": "primary",
    } | extra


def summary_links(body: str) -> list[str]:
    summary = body.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


@pytest.mark.django_db
class TestTheFormBeforeSaving:
    def test_it_opens_with_the_essentials_and_folds_the_rest(self, login, users):
        body = login(users["director_a"]).get(reverse("registry:child_create")).content.decode()
        essentials, rest = body.split("<details", 1)
        for name in ("name", "id_number", "father_status", "guardian_name", "guardian_phone"):
            assert f'name="{name}"' in essentials
        for name in ("hobbies", "class_teacher", "hukou_address", "disability_category"):
            assert f'name="{name}"' in rest and f'name="{name}"' not in essentials
        assert '<details class="card file-section" open' not in body  # all folded at first
        assert "已填" not in body  # defaults (在家, 农业户口, 汉族) are not something filled in

    def test_required_and_conditionally_required_fields_are_marked(self, login, users):
        body = login(users["director_a"]).get(reverse("registry:child_create")).content.decode()
        name = body.split('id="field-name"', 1)[0].rsplit("<div", 1)[1]
        assert 'class="field required' in name  # the stylesheet marks it with *
        away = body.split('id="field-father_away_destination"', 1)[1].split(">", 1)[0]
        assert 'data-when="father_status" data-when-value="working_away"' in away
        assert "(外出务工时必填)" in body
        assert 'data-when="father_status" data-when-value="imprisoned"' in body
        assert "没有身份证号时必填" in body

    def test_a_blank_school_stage_is_offered_as_unknown(self, login, users):
        body = login(users["director_a"]).get(reverse("registry:child_create")).content.decode()
        stage = body.split('name="school_stage"', 1)[1].split("</select>", 1)[0]
        assert '<option value="" selected>未填写</option>' in stage


@pytest.mark.django_db
class TestARejectedSave:
    def test_every_problem_is_listed_at_once_and_links_to_its_field(self, login, users):
        data = left_behind(
            id_number="",
            father_away_destination="",
            mother_status="imprisoned",
            guardian_phone="12345",
            hobbies="画画",
        )
        response = login(users["director_a"]).post(reverse("registry:child_create"), data)
        assert response.status_code == 400
        body = response.content.decode()
        assert "有 5 处需要修改" in body
        assert set(summary_links(body)) == {
            "id_birth_date",
            "id_sex",
            "id_father_away_destination",
            "id_mother_status_until",
            "id_guardian_phone",
        }
        for anchor in summary_links(body):
            assert f'id="{anchor}"' in body  # each link reaches its field
        assert "父亲外出务工时请填写务工地" in body and "母亲服刑在押时请填写刑满日期" in body
        assert not Child.objects.exists()

    def test_the_page_keeps_everything_typed(self, login, users):
        data = left_behind(guardian_phone="12345", hobbies="画画", class_teacher="刘老师")
        body = login(users["director_a"]).post(reverse("registry:child_create"), data)
        body = body.content.decode()
        for value in ("陈小雨", NUMBER, "广东省东莞市", "陈奶奶", "12345", "画画", "刘老师"):
            assert f'value="{value}"' in body or f">{value}<" in body

    def test_a_folded_section_with_an_error_opens(self, login, users):
        data = left_behind(class_teacher_phone="abc")
        body = login(users["director_a"]).post(reverse("registry:child_create"), data)
        body = body.content.decode()
        school = body.split("<summary>就学", 1)[0].rsplit("<details", 1)[1]
        assert " open" in school

    def test_the_corrected_save_registers_the_child(self, login, users):
        client = login(users["director_a"])
        client.post(reverse("registry:child_create"), left_behind(father_away_destination=""))
        response = client.post(reverse("registry:child_create"), left_behind())
        child = Child.objects.get(name="陈小雨")
        assert response.status_code == 302
        assert (child.birth_date, child.sex) == (date(2016, 5, 4), "F")
        assert child.father.away_destination == "广东省东莞市"


@pytest.mark.django_db
class TestImplausibleCombinations:
    def test_a_grandmother_recorded_as_father_is_asked_before_saving(self, login, users):
        client = login(users["director_a"])
        data = left_behind(guardian_name="李奶奶", guardian_relation="father")
        response = client.post(reverse("registry:child_create"), data)
        assert response.status_code == 400
        body = response.content.decode()
        assert "监护人“李奶奶”称呼为“奶奶”,与儿童关系却填为“父亲”" in body
        assert "监护人是父亲,但父亲的状况填为“外出务工”" in body
        assert 'name="confirm_warnings"' in body
        assert "请核实上面的情况,属实请勾选此项后再保存" in body
        assert not Child.objects.exists()
        confirmed = client.post(reverse("registry:child_create"), data | {"confirm_warnings": "on"})
        assert confirmed.status_code == 302
        assert Guardian.objects.get().relation == "father"

    def test_a_school_age_child_without_school_is_asked(self, login, users):
        client = login(users["director_a"])
        response = client.post(reverse("registry:child_create"), left_behind(school_stage=""))
        assert response.status_code == 400
        assert "在义务教育年龄,就学情况为“未填写”且没有填写学校" in response.content.decode()
        data = left_behind(school_stage="", confirm_warnings="on")
        assert client.post(reverse("registry:child_create"), data).status_code == 302
        assert Child.objects.get().school_stage == ""

    def test_an_edit_does_not_ask_again_what_the_file_already_holds(self, login, users):
        client = login(users["director_a"])
        data = left_behind(school_stage="", confirm_warnings="on")
        client.post(reverse("registry:child_create"), data)
        child = Child.objects.get()
        edit = reverse("registry:child_edit", args=[child.pk])
        data = left_behind(school_stage="", hobbies="跳绳", version=child.version)
        assert client.post(edit, data).status_code == 302
        # A new implausible fact is asked about.
        data = left_behind(guardian_relation="mother", version=child.version + 1)
        response = client.post(edit, data)
        assert response.status_code == 400
        assert "与儿童关系却填为“母亲”" in response.content.decode()


@pytest.mark.django_db
class TestChecksAsTyped:
    def check(self, client, name, **data):
        return client.post(reverse("registry:child_check"), {"_check": name, **data})

    def test_a_good_number_fills_the_birth_date_and_sex(self, login, users):
        response = self.check(login(users["director_a"]), "id_number", id_number=NUMBER)
        body = response.content.decode()
        assert "✓ 出生日期 2016-05-04,性别女" in body
        assert re.search(
            r'<input type="date" name="birth_date" value="2016-05-04"[^>]*hx-swap-oob', body
        )
        assert re.search(r'<select name="sex"[^>]*hx-swap-oob', body)
        assert '<option value="F" selected>' in body

    def test_a_bad_number_is_refused_in_the_services_words(self, login, users):
        body = self.check(login(users["director_a"]), "id_number", id_number=NUMBER[:-1] + "0")
        assert "校验码" in body.content.decode() or "校验位" in body.content.decode()
        short = self.check(login(users["director_a"]), "id_number", id_number="123")
        assert "身份证号长度应为 18 位" in short.content.decode()

    def test_a_phone_and_a_parents_dates_are_checked(self, login, users):
        client = login(users["director_a"])
        phone = self.check(client, "guardian_phone", guardian_phone="12345").content.decode()
        assert "应为 11 位手机号" in phone
        assert (
            self.check(client, "guardian_phone", guardian_phone="13800001234").content.strip()
            == b""
        )
        dates = self.check(
            client,
            "father_status_until",
            father_status="imprisoned",
            father_status_since="2024-01-01",
            father_status_until="2023-01-01",
        ).content.decode()
        assert "父亲的截止日期不能早于起始日期" in dates

    def test_a_birth_date_without_a_number_is_checked(self, login, users):
        body = self.check(login(users["director_a"]), "birth_date", birth_date="2099-01-01")
        assert "出生日期不能晚于今天" in body.content.decode()

    @pytest.mark.parametrize("who", ["carer_a", "department"])
    def test_roles_that_do_not_register_or_edit_are_refused(self, login, users, who):
        response = self.check(login(users[who]), "id_number", id_number=NUMBER)
        assert response.status_code in (403, 404)


@pytest.mark.django_db
class TestUnknownIsUnknown:
    def rows(self, client, child) -> str:
        body = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
        return body.split('id="file-sections"', 1)[1]

    def test_a_blank_school_reads_as_not_filled_in_not_as_a_fact(self, login, users, children):
        child = children["a"]  # 2015: of school age
        assert child.school_stage == ""
        rows = self.rows(login(users["director_a"]), child)
        school = rows.split("就学", 1)[1].split("</section>", 1)[0]
        assert "未填写" in school and "未入学" not in school

    def test_a_recorded_not_in_school_still_reads_so(self, login, users, children):
        child = children["a"]
        child.school_stage = "none"
        child.save()
        rows = self.rows(login(users["director_a"]), child)
        assert "未入学" in rows.split("就学", 1)[1].split("</section>", 1)[0]

    def test_a_missing_guardian_and_parent_read_as_not_registered(self, login, users, children):
        rows = self.rows(login(users["director_a"]), children["a"])
        assert "未登记" in rows.split("监护人", 1)[1].split("</section>", 1)[0]
