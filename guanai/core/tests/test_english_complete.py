"""English is complete: no template shows Chinese outside {% translate %}, and the catalogue is filled.

zh-hans is the source language; the English catalogue (scripts/translate_en.py, `make messages`) must
cover every string a template offers. Values the user stored, and the audit log, stay in Chinese.
"""

import re
from io import BytesIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

ROOT = Path(settings.BASE_DIR) / "guanai"
HAN = re.compile(r"[\u3400-\u9fff]")
# A button that names the other language is written in that language (<button lang="zh-hans">中文</button>).
OWN_LANGUAGE = re.compile(r"<(\w+)\b[^>]*\slang=\"zh[-\w]*\"[^>]*>[^<]*</\1>")

# Templates whose every Chinese text run is wrapped; each finished app joins the list.
TRANSLATED = [
    "accounts/templates/accounts/account.html",
    "accounts/templates/accounts/login.html",
    "accounts/templates/accounts/otp_enrol.html",
    "accounts/templates/accounts/otp_verify.html",
    "accounts/templates/accounts/password_change.html",
    "accounts/templates/accounts/password_reset_done.html",
    "accounts/templates/accounts/recovery_codes.html",
    "accounts/templates/accounts/user_form.html",
    "accounts/templates/accounts/user_list.html",
    "audit/templates/audit/event_list.html",
    "benefits/templates/benefits/payment_list_detail.html",
    "benefits/templates/benefits/payment_lists.html",
    "benefits/templates/benefits/proposal_detail.html",
    "benefits/templates/benefits/proposal_form.html",
    "benefits/templates/benefits/proposal_list.html",
    "benefits/templates/benefits/receipt_stop.html",
    "care/templates/care/_child_care.html",
    "care/templates/care/_due_item.html",
    "care/templates/care/_form_fields.html",
    "care/templates/care/_pagination.html",
    "care/templates/care/_record_done.html",
    "care/templates/care/_record_form.html",
    "care/templates/care/_report_offer.html",
    "care/templates/care/flag_detail.html",
    "care/templates/care/flag_list.html",
    "care/templates/care/my_week.html",
    "care/templates/care/over_limit_list.html",
    "care/templates/care/overdue_list.html",
    "care/templates/care/overview.html",
    "care/templates/care/pairing_card.html",
    "care/templates/care/pairing_end.html",
    "care/templates/care/pairing_form.html",
    "care/templates/care/pairing_list.html",
    "care/templates/care/record_detail.html",
    "care/templates/care/record_form.html",
    "care/templates/care/term_list.html",
    "care/templates/care/unpaired_list.html",
    "disability/templates/disability/_child_rehab.html",
    "disability/templates/disability/_form_fields.html",
    "disability/templates/disability/_nav.html",
    "disability/templates/disability/_pagination.html",
    "disability/templates/disability/application_detail.html",
    "disability/templates/disability/application_form.html",
    "disability/templates/disability/batch_detail.html",
    "disability/templates/disability/batch_list.html",
    "disability/templates/disability/claim_form.html",
    "disability/templates/disability/claim_list.html",
    "disability/templates/disability/institution_list.html",
    "disability/templates/disability/overview.html",
    "disability/templates/disability/teaching_detail.html",
    "disability/templates/disability/teaching_form.html",
    "disability/templates/disability/teaching_list.html",
    "notices/templates/notices/notice_list.html",
    "protection/templates/protection/_child_cases.html",
    "protection/templates/protection/_clock.html",
    "protection/templates/protection/_grade.html",
    "protection/templates/protection/case_detail.html",
    "protection/templates/protection/case_list.html",
    "protection/templates/protection/figures.html",
    "protection/templates/protection/my_tasks.html",
    "protection/templates/protection/report_form.html",
    "protection/templates/protection/report_start.html",
    "registry/templates/registry/_child_rows.html",
    "registry/templates/registry/_field_check.html",
    "registry/templates/registry/_file_field.html",
    "registry/templates/registry/_review_panel.html",
    "registry/templates/registry/_review_returned.html",
    "registry/templates/registry/_sensitive.html",
    "registry/templates/registry/child_deactivate.html",
    "registry/templates/registry/child_detail.html",
    "registry/templates/registry/child_form.html",
    "registry/templates/registry/child_list.html",
    "registry/templates/registry/child_revision.html",
    "registry/templates/registry/home.html",
    "registry/templates/registry/review_list.html",
    "registry/templates/registry/review_settings.html",
    "rules/templates/rules/_child_findings.html",
    "rules/templates/rules/_node_table.html",
    "rules/templates/rules/_panel.html",
    "rules/templates/rules/change_list.html",
    "rules/templates/rules/gap_list.html",
    "rules/templates/rules/parameter_list.html",
    "rules/templates/rules/record_form.html",
    "stats/templates/stats/_report_progress.html",
    "stats/templates/stats/base_edit.html",
    "stats/templates/stats/dashboard.html",
    "stats/templates/stats/report_list.html",
    "stats/templates/stats/report_status.html",
    "templates/400.html",
    "templates/403.html",
    "templates/403_csrf.html",
    "templates/404.html",
    "templates/500.html",
    "templates/base.html",
    "window/templates/window/_child_window.html",
    "window/templates/window/_error.html",
    "window/templates/window/_referral_rows.html",
    "window/templates/window/_status.html",
    "window/templates/window/application_detail.html",
    "window/templates/window/application_list.html",
    "window/templates/window/calendar.html",
    "window/templates/window/figures.html",
    "window/templates/window/intake.html",
    "window/templates/window/intake_start.html",
    "window/templates/window/receipt.html",
    "window/templates/window/referral_detail.html",
    "window/templates/window/referral_list.html",
    "window/templates/window/referral_start.html",
    "window/templates/window/work_list.html",
]


def untranslated_runs(source: str) -> list[tuple[int, str]]:
    """(line, text) of each run of Chinese in text or attribute values outside translate tags."""
    runs = []
    in_block = in_comment = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name == "comment":
                in_comment = True
            elif name == "endcomment":
                in_comment = False
            elif name in ("blocktranslate", "blocktrans"):
                in_block = True
            elif name in ("endblocktranslate", "endblocktrans"):
                in_block = False
        elif token.token_type == TokenType.TEXT and not (in_block or in_comment):
            text = OWN_LANGUAGE.sub("", token.contents)
            for number, line in enumerate(text.split("\n")):
                if HAN.search(line):
                    runs.append((token.lineno + number, line.strip()))
    return runs


def test_the_checker_finds_text_and_attributes_but_not_translations_or_comments():
    source = (
        '{% load i18n %}<h1>{% translate "首页" %}</h1>{# 注释 #}\n'
        '<input placeholder="姓名">\n'
        "{% blocktranslate with n=count %}共 {{ n }} 人{% endblocktranslate %}\n"
        '{% comment %}旧的{% endcomment %}{{ child.name|default:"未填写" }}\n'
        '<button lang="zh-hans">中文</button><p title="{% translate \'帮助\' %}">帮助</p>\n'
    )
    assert untranslated_runs(source) == [(2, '<input placeholder="姓名">'), (5, '">帮助</p>')]


@pytest.mark.parametrize("template", TRANSLATED)
def test_the_template_holds_no_chinese_outside_translate(template):
    runs = untranslated_runs((ROOT / template).read_text(encoding="utf-8"))
    assert runs == [], f"{template}: wrap these in {{% translate %}}: {runs}"


def test_every_message_has_its_english():
    catalogue = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    live = [entry for entry in catalogue if not entry.obsolete]
    assert live
    empty = [entry.msgid for entry in live if not entry.translated()]
    fuzzy = [entry.msgid for entry in live if "fuzzy" in entry.flags]
    assert empty == [], "add these to scripts/translate_en.py (ENGLISH) and run `make messages`"
    assert fuzzy == []


@pytest.fixture
def in_english(login):
    def _in_english(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _in_english


def _page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_main_pages_in_english(in_english, users, children):
    director = in_english(users["director_a"])
    page = _page(director, "registry:child_list")
    assert "Export the roster" in page and "导出花名册" not in page
    page = _page(director, "registry:child_detail", children["a"].pk)
    assert "History of the file" in page and "Pairing and care" in page
    assert "档案变更记录" not in page and "结对与关爱" not in page
    assert "张小明" in page  # the child's name is the child's name
    page = _page(in_english(users["carer_a"]), "care:my_week")
    assert "Due this week" in page and "本周到期" not in page
    page = _page(in_english(users["county"]), "stats:dashboard")
    assert "Charts" in page and "图表" not in page


def test_a_message_after_an_action_and_an_export_in_english(in_english, users, children):
    director = in_english(users["director_a"])
    response = director.post(
        reverse("registry:child_deactivate", args=[children["a"].pk]),
        {"reason": "moved_away", "on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "The file of 张小明 is closed" in response.content.decode()
    response = director.get(reverse("registry:child_roster_export"))
    header = [
        cell.value
        for cell in load_workbook(BytesIO(b"".join(response.streaming_content))).active[2]
    ]
    assert header[:3] == ["No.", "Name", "Sex"]
