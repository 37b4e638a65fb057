"""Saved header mappings per source ("表头对应方案"): which file header holds which field.

A profile adds to the built-in spellings (``rows.FIELDS``). Profiles hold no personal data and
no node: everyone who imports may choose one and add one; changing or deleting one that other
townships may rely on is for the county bureau and administrators.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Role, User
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, worded
from guanai.ingest.models import MappingProfile, Source
from guanai.ingest.permissions import can_import
from guanai.ingest.rows import FIELDS, _norm_header, default_columns, header_field

PROFILE_MANAGERS = {Role.CIVIL_AFFAIRS, Role.ADMIN}
MAX_HEADER = 100


def can_manage_profiles(user: User) -> bool:
    return user.is_authenticated and user.role in PROFILE_MANAGERS


def field_choices() -> list[tuple[str, str]]:
    return [(name, gettext(f.label)) for name, f in FIELDS.items()]


def field_label(name: str) -> str:
    return gettext(FIELDS[name].label) if name in FIELDS else name


def rows_for_headers(headers: list[str]) -> list[dict[str, str]]:
    """A new profile's rows for a file's headers, with the field already known where it is."""
    known = default_columns()
    return [{"header": h, "field": header_field(h, known) or ""} for h in headers]


# Reads -----------------------------------------------------------------------------------------


def profile_list_for(user: User, *, source: str | None = None) -> QuerySet[MappingProfile]:
    if not can_import(user):
        return MappingProfile.objects.none()
    profiles = MappingProfile.objects.order_by("source", "name")
    return profiles.filter(source=source) if source else profiles


def profile_get_for(user: User, pk: int) -> MappingProfile:
    profile = profile_list_for(user).filter(pk=pk).first() if pk else None
    if profile is None:
        raise AccessDenied(_("没有找到这个表头对应方案"))
    return profile


# Writes ----------------------------------------------------------------------------------------


def profile_columns_clean(rows: list[tuple[str, str]]) -> dict[str, str]:
    """(表头, field) rows -> {"表头": field}; blank rows are skipped. Raises DomainError."""
    columns: dict[str, str] = {}
    by_field: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header, field in rows:
        header = " ".join(str(header or "").split())
        field = str(field or "").strip()
        if not header and not field:
            continue
        if not header:
            raise DomainError(worded(_("请填写对应“%(field)s”的表头"), field=field_label(field)))
        if len(header) > MAX_HEADER:
            raise DomainError(
                _("表头“%(header)s…”过长(最多 %(most)s 字)"), header=header[:20], most=MAX_HEADER
            )
        if not field:
            continue  # a header left without a field is not imported
        if field not in FIELDS:
            raise DomainError(worded(_("未知的字段“%(field)s”"), field=field))
        key = _norm_header(header)
        if key in seen:
            raise DomainError(_("表头“%(header)s”填写了两次"), header=header)
        if field in by_field:
            raise DomainError(
                worded(
                    _("“%(first)s”和“%(second)s”都对应%(field)s,每个字段只能对应一个表头"),
                    first=by_field[field],
                    second=header,
                    field=field_label(field),
                )
            )
        seen[key] = header
        by_field[field] = header
        columns[header] = field
    if not columns:
        raise DomainError(_("请至少填写一行表头对应"))
    return columns


def _name_clean(source: str, name: str, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if source not in Source.values:
        raise DomainError(_("请选择来源部门"), field="source")
    if not name:
        raise DomainError(_("请填写方案名称"), field="name")
    if len(name) > 50:
        raise DomainError(_("方案名称最多 50 字"), field="name")
    clash = MappingProfile.objects.filter(source=source, name=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("%(source)s已有名为“%(name)s”的方案"),
            field="name",
            source=gettext(Source(source).label),
            name=name,
        )
    return name


def _describe(columns: dict[str, str]) -> str:
    # Audit rows stay in Chinese, whatever the page's language.
    return "、".join(f"{h}→{FIELDS[f].label if f in FIELDS else f}" for h, f in columns.items())


@transaction.atomic
def profile_create(
    *, actor: User, source: str, name: str, rows: list[tuple[str, str]]
) -> MappingProfile:
    if not can_import(actor):
        raise AccessDenied(_("您的角色不能设置表头对应方案"))
    name = _name_clean(source, name)
    columns = profile_columns_clean(rows)
    profile = MappingProfile.objects.create(source=source, name=name, columns=columns)
    audit(actor=actor, action=Action.CREATE, target=profile, detail=_describe(columns))
    return profile


@transaction.atomic
def profile_update(
    *, actor: User, profile: MappingProfile, name: str, rows: list[tuple[str, str]]
) -> MappingProfile:
    if not can_manage_profiles(actor):
        raise AccessDenied(_("只有县民政局和管理员可以修改表头对应方案"))
    name = _name_clean(profile.source, name, exclude_pk=profile.pk)
    columns = profile_columns_clean(rows)
    changes = {}
    if name != profile.name:
        changes["name"] = (profile.name, name)
    if columns != profile.columns:
        changes["columns"] = (profile.columns, columns)
    profile.name, profile.columns = name, columns
    profile.save(update_fields=["name", "columns"])
    if changes:
        audit(actor=actor, action=Action.UPDATE, target=profile, changes=changes)
    return profile


@transaction.atomic
def profile_delete(*, actor: User, profile: MappingProfile) -> None:
    if not can_manage_profiles(actor):
        raise AccessDenied(_("只有县民政局和管理员可以删除表头对应方案"))
    audit(actor=actor, action=Action.DELETE, target=profile, detail=_describe(profile.columns))
    profile.delete()
