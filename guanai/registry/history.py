"""Snapshots of a whole file and the differences between them (the file's full history)."""

import functools
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from guanai.registry.masking import mask_field
from guanai.registry.models import Child, Guardian, Household, Parent

SECTION_LABELS = {
    "child": "儿童",
    "household": "家庭",
    "father": "父亲",
    "mother": "母亲",
    "guardian": "监护人",
}
SKIP_FIELDS = {
    "id",
    "household",
    "division",
    "division_code",
    "father",
    "mother",
    "child",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "given_name",
    "name_pinyin",
    "name_initials",
    "id_number_tail",
    "role",
}


def display_value(instance: models.Model, field: models.Field) -> Any:
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(field, models.ForeignKey):
        return str(getattr(instance, field.name))
    if isinstance(field, models.DateField):
        return value.isoformat()
    return str(value)


# How each shown field of a model turns into its display value: as `display_value` does, with
# the choices' labels looked up in a dict (a snapshot of many files at once, two per file).
CHOICE, BOOLEAN, RELATED, DAY, TEXT = range(5)


@functools.cache
def _shown_fields(model: type[models.Model]) -> tuple[tuple[str, str, int, dict], ...]:
    shown = []
    for f in model._meta.concrete_fields:
        if f.name in SKIP_FIELDS:
            continue
        if f.choices:
            shown.append((f.name, f.attname, CHOICE, dict(f.flatchoices)))
        elif isinstance(f, models.BooleanField):
            shown.append((f.name, f.attname, BOOLEAN, {}))
        elif isinstance(f, models.ForeignKey):
            shown.append((f.name, f.attname, RELATED, {}))
        elif isinstance(f, models.DateField):
            shown.append((f.name, f.attname, DAY, {}))
        else:
            shown.append((f.name, f.attname, TEXT, {}))
    return tuple(shown)


def _section(prefix: str, instance: models.Model | None, model: type[models.Model]) -> dict:
    if instance is None:
        return {}
    section = {}
    for name, attname, how, labels in _shown_fields(model):
        value = getattr(instance, attname)
        if value is None or value == "":
            continue
        if how == CHOICE:
            shown = str(labels.get(value, value))
        elif how == BOOLEAN:
            shown = "是" if value else "否"
        elif how == RELATED:
            shown = str(getattr(instance, name))
        elif how == DAY:
            shown = value.isoformat()
        else:
            shown = str(value)
        if shown != "":
            section[f"{prefix}.{name}"] = shown
    return section


def file_snapshot(child: Child, guardians: list[Guardian] | None = None) -> dict[str, Any]:
    """The whole file as flat, display-ready values: {"child.name": "张三", "father.status": ...}.

    `guardians`, in the order (-is_primary, id), when the caller has them already (many files
    at once); otherwise they are read."""
    snapshot = {"child.division": child.division.name}
    snapshot |= _section("child", child, Child)
    snapshot |= _section("household", child.household, Household)
    snapshot |= _section("father", child.father, Parent)
    snapshot |= _section("mother", child.mother, Parent)
    if guardians is None:
        guardians = list(child.guardians.order_by("-is_primary", "id"))
    for index, guardian in enumerate(guardians):
        snapshot |= _section(f"guardian{index + 1}", guardian, Guardian)
    return snapshot


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [old.get(key, ""), new.get(key, "")]
        for key in sorted(set(old) | set(new))
        if old.get(key, "") != new.get(key, "")
    }


_MODELS = {"child": Child, "household": Household, "father": Parent, "mother": Parent}


def key_label(key: str) -> str:
    """ "father.status" -> "父亲·状况"."""
    section, _, field_name = key.partition(".")
    base = section.rstrip("0123456789")
    model = _MODELS.get(base, Guardian)
    section_label = SECTION_LABELS.get(base, base)
    if base == "guardian" and section != "guardian1":
        section_label += section[len(base) :]
    if field_name == "division":
        return "所在村(居)"
    try:
        field_label = str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        field_label = field_name
    return f"{section_label}·{field_label}"


def _shown(field_name: str, value: Any, reveal: bool) -> str:
    text = "" if value in (None, "") else str(value)
    text = text if reveal else mask_field(field_name, text)
    return text or "未填写"


def change_words(revision, *, reveal: bool = False) -> list[str]:
    """Each change of a revision in words, "父亲·状况:外出务工 → 服刑在押", masked as the file's
    page masks (identity numbers, phones, health) unless revealed; the first version has none."""
    if revision.number <= 1:
        return []
    return changes_in_words(revision.changes, reveal=reveal)


def changes_in_words(changes: dict[str, list[Any]], *, reveal: bool = False) -> list[str]:
    words = []
    for key, (old, new) in changes.items():
        field_name = key.partition(".")[2]
        old_shown, new_shown = _shown(field_name, old, reveal), _shown(field_name, new, reveal)
        words.append(f"{key_label(key)}:{old_shown} → {new_shown}")
    return words
