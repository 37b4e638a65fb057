"""A refusal is shown in the reader's language and kept in Chinese in the audit log.

Every message a service, selector or view raises (DomainError and its kind, AccessDenied, the
`require` helpers) is marked with gettext_lazy where it is raised: a bare Chinese literal or an
f-string would show Chinese to an English reader, and an eager gettext would write English into
the county's record. The English of each is in the catalogue (scripts/translate_en.py).
"""

import ast
import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

from guanai.core.errors import AccessDenied, DomainError, in_record, listed, worded

ROOT = Path(settings.BASE_DIR) / "guanai"
HAN = re.compile(r"[\u3400-\u9fff]")
# The errors and the helpers that raise one with the message they are given: the message's
# position among the arguments.
RAISERS = {
    "DomainError": 0,
    "AccessDenied": 0,
    "NotForRole": 0,
    "StaleEdit": 0,
    "DuplicateChild": 0,
    "ImportRejected": 0,
    "FileRejected": 0,
    "ArchiveInvalid": 0,
    "LoginLocked": 0,
    "WrongKey": 0,
    "Tampered": 0,
    "IdNumberError": 0,
    "PhoneError": 0,
    "require": 1,
    "_require": 1,
    "_need": 1,
    "_required": 1,
    "_one": 2,
    "require_division": 2,
    "_child_to_change": 2,
}
LAZY = {"_", "gettext_lazy"}


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _lazy_names(tree: ast.Module) -> set[str]:
    """The names under which the module imports gettext_lazy."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name == "gettext_lazy"
    }


def unmarked_messages(source: str) -> list[tuple[int, str]]:
    """(line, text) of each raised message holding Chinese that is not a gettext_lazy call."""
    tree = ast.parse(source)
    lazy = _lazy_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in RAISERS:
            continue
        position = RAISERS[_name(node.func)]
        given = node.args[position : position + 1] + [
            k.value for k in node.keywords if k.arg in ("message", "refusal")
        ]
        for message in given:
            if isinstance(message, ast.Call) and _name(message.func) == "worded":
                message = message.args[0]
            if isinstance(message, ast.Call) and _name(message.func) in lazy:
                continue
            text = ast.unparse(message)
            if HAN.search(text):
                found.append((node.lineno, text))
    return found


def _modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations", "testing"} & set(path.relative_to(ROOT).parts)
        and path.name != "testing.py"
    )


def test_the_checker_finds_literals_f_strings_and_eager_gettext():
    source = (
        "from django.utils.translation import gettext, gettext_lazy as _\n"
        'raise DomainError("请填写姓名")\n'
        'raise AccessDenied(f"{child}不在您的管辖范围内", field="child")\n'
        'require(allowed, gettext("您的角色不能登记儿童"))\n'
        'raise DomainError(_("第 %(line)s 条:%(error)s"), line=line, error=error.message)\n'
        "raise DomainError(error.message)\n"
        'raise DomainError(worded(_("未知的字段“%(field)s”"), field=field))\n'
        'require_division(user, code, _("不在您的管辖范围内"))\n'
    )
    assert [line for line, _ in unmarked_messages(source)] == [2, 3, 4]


def test_every_raised_message_is_marked_for_translation():
    unmarked = {
        f"{path.relative_to(ROOT)}:{line}": text
        for path in _modules()
        for line, text in unmarked_messages(path.read_text(encoding="utf-8"))
    }
    assert unmarked == {}, "wrap these in gettext_lazy (core/errors.py says how)"


def _raised_literals() -> set[str]:
    """The msgids of every lazily marked message raised in the code."""
    literals = set()
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lazy = _lazy_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in lazy and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    literals.add(first.value)
    return literals


def test_every_marked_message_has_its_english_in_the_catalogue():
    catalogue = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    english = {entry.msgid: entry.msgstr for entry in catalogue if not entry.obsolete}
    missing = sorted(m for m in _raised_literals() if HAN.search(m) and not english.get(m))
    assert missing == [], "add these to scripts/translate_en.py (ENGLISH) and run `make messages`"


def test_a_message_renders_in_the_active_language_and_in_chinese_for_the_record():
    error = DomainError(
        worded("第 %(line)s 条:%(error)s", line=3, error=DomainError("请填写姓名").message)
    )
    assert str(error) == "第 3 条:请填写姓名"
    denied = AccessDenied(_lazy("该儿童不在您的管辖范围内"))
    with translation.override("en"):
        shown = str(denied.message)
        kept = in_record(denied.message)
    assert shown != kept and not HAN.search(shown)
    assert kept == "该儿童不在您的管辖范围内"
    with translation.override("en"):
        assert str(listed([_lazy("男"), "张三"], "、")) == "Male、张三"


def _lazy(text: str):
    from django.utils.translation import gettext_lazy

    return gettext_lazy(text)


# ---------- the pages, in English ----------

import pytest  # noqa: E402
from django.urls import reverse  # noqa: E402

from guanai.audit.models import Action, AuditEvent  # noqa: E402


@pytest.fixture
def in_english(login):
    def _in_english(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _in_english


@pytest.mark.django_db
def test_a_refusal_is_shown_in_english_and_audited_in_chinese(in_english, users):
    response = in_english(users["director_a"]).get(reverse("ops:status"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only system administrators can see the server status" in page
    assert "只有系统管理员可以查看运行状态" not in page
    refused = AuditEvent.objects.get(actor=users["director_a"], action=Action.REFUSED)
    assert refused.detail.endswith(":只有系统管理员可以查看运行状态")


@pytest.mark.django_db
def test_a_rejected_registration_lists_its_errors_in_english(in_english, users):
    data = {
        "name": "陈小雨",
        "father_status": "working_away",
        "mother_status": "imprisoned",
        "guardian_phone": "12345",
    }
    response = in_english(users["director_a"]).post(reverse("registry:child_create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "to correct; everything else you typed is kept" in body
    assert "Father: Give the place of work when working away" in body
    assert "Mother: Give the release date when imprisoned" in body
    assert "Without an ID number the birth date is required" in body
    for chinese in ("外出务工时请填写务工地", "没有身份证号时必须填写出生日期", "基本信息"):
        assert chinese not in body
    assert "Required when Working away" in body  # the conditional mark, before saving too


@pytest.mark.django_db
def test_the_children_list_shows_choice_labels_in_english(in_english, users, children):
    from guanai.care.tests.conftest import make_left_behind

    make_left_behind(children["a"])
    body = in_english(users["director_a"]).get(reverse("registry:child_list")).content.decode()
    rows = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert "Male" in rows and "Left-behind children" in rows
    assert "男" not in rows and "留守儿童" not in rows
    assert "0-2 years" in body  # the age band filter's choices


@pytest.mark.django_db
def test_the_summary_card_in_english(in_english, users, children):
    from guanai.care.tests.conftest import make_left_behind

    child = make_left_behind(children["a"])
    body = in_english(users["director_a"]).get(reverse("registry:child_detail", args=[child.pk]))
    card = body.content.decode().split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert "Categories" in card or "Category" in card
    assert "Left-behind children" in card and "Not paired yet" in card
    assert "尚未结对" not in card and "结对人" not in card and "儿童类别" not in card
