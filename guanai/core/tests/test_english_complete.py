"""English is complete: no template shows Chinese outside {% translate %}, and the catalogue is filled.

zh-hans is the source language; the English catalogue (scripts/translate_en.py, `make messages`) must
cover every string a template offers. Values the user stored, and the audit log, stay in Chinese.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

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
    "accounts/templates/accounts/recovery_codes.html",
    "audit/templates/audit/event_list.html",
    "care/templates/care/_form_fields.html",
    "disability/templates/disability/_form_fields.html",
    "notices/templates/notices/notice_list.html",
    "protection/templates/protection/_grade.html",
    "registry/templates/registry/_file_field.html",
    "rules/templates/rules/_child_findings.html",
    "window/templates/window/_error.html",
    "window/templates/window/_status.html",
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
