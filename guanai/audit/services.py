"""Writing the audit log. Every service that reads or writes a person's file calls `audit`."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model

from guanai.audit.context import current_request
from guanai.audit.models import Action, AuditEvent
from guanai.core.bulk import insert_many
from guanai.core.errors import Message, in_record


def jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value.pk)
    return in_record(value)


def audit(
    *,
    actor,
    action: Action,
    target: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    label: Message = "",
    division_code: str = "",
    changes: dict[str, tuple[Any, Any]] | None = None,
    detail: Message = "",
) -> AuditEvent:
    """Append one audit row. `changes` maps field name to (old, new)."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        label = label or str(target)[:200]
        division_code = division_code or getattr(target, "division_code", "") or ""
    event = _event(actor, action, object_type, object_id, label, division_code, changes, detail)
    event.save()
    return event


def audit_many(*, actor, action: Action, targets: Iterable[Model], detail: str = "") -> int:
    """One audit row per target, written together (a roster import opening many files)."""
    return audit_changes_many(
        actor=actor, action=action, entries=((t, None, detail) for t in targets)
    )


def audit_changes_many(
    *,
    actor,
    action: Action,
    entries: Iterable[tuple[Model, dict[str, tuple[Any, Any]] | None, str]],
) -> int:
    """One audit row per (target, changes, detail), written together: the same rows as `audit`
    called for each (a roster's chunk updating many files)."""
    events = [
        _event(
            actor,
            action,
            target._meta.label_lower,
            str(target.pk),
            str(target)[:200],
            getattr(target, "division_code", "") or "",
            changes,
            detail,
        )
        for target, changes, detail in entries
    ]
    insert_many(AuditEvent, events)
    return len(events)


def list_searched(*, actor, what: str, object_type: str, criteria: Mapping[str, str]) -> AuditEvent:
    """One page of a list or search as asked: its query text and filters, word for word."""
    asked = "; ".join(
        f"{key}={','.join(values)}"
        for key, values in _lists(criteria)
        if key != "page" and any(values)
    )
    page = criteria.get("page", "")
    return audit(
        actor=actor,
        action=Action.SEARCH,
        object_type=object_type,
        label=what,
        # Filed under the searcher's node: their supervisor sees who looked for what.
        division_code=actor.division.code if actor.division_id else "",
        detail=f"{what}:{asked or '无筛选'}" + (f";第 {page} 页" if page else ""),
    )


def _lists(criteria: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """Every value of each key of a query (a QueryDict repeats keys: ?category=a&category=b)."""
    if hasattr(criteria, "lists"):
        return list(criteria.lists())
    return [(key, [value]) for key, value in criteria.items()]


def _event(actor, action, object_type, object_id, label, division_code, changes, detail):
    # The log is the county's record, in Chinese: a refusal's message or a choice's label given
    # lazily is written in the source language, whatever the page is shown in.
    label, detail = in_record(label), in_record(detail)
    ctx = current_request.get()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_name=(actor.get_username() if authenticated else str(actor or ""))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=label[:200],
        division_code=division_code,
        changes={k: [jsonable(old), jsonable(new)] for k, (old, new) in (changes or {}).items()},
        detail=detail[:500],
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
        path=ctx.path,
    )
