"""Jurisdiction scoping: the one place that decides which people and records a user may see.

Every selector for people, records and files filters through `scope`. A model opts in by
declaring `scope_division_field` (the field holding the 12-digit village code of the record)
and, where carers see records, `scope_pairing_path` (the path to care.Pairing; "" on Pairing
itself): a carer sees only what hangs off their own current pairings.
"""

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.geo.models import code_prefix_q


class NotScopable(TypeError):
    pass


def user_prefix(user: User) -> str | None:
    """The division-code prefix the user sees; '' for administrators, None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMIN or user.is_superuser:
        return ""
    if user.division_id is None:
        return None
    return user.division.prefix


def scope_filter(user: User, model: type[Model]) -> Q:
    division_field = getattr(model, "scope_division_field", None)
    if division_field is None:
        raise NotScopable(f"{model.__name__} declares no scope_division_field")
    prefix = user_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    q = code_prefix_q(division_field, prefix)
    if user.role == Role.CARER:
        pairing_path = getattr(model, "scope_pairing_path", None)
        if pairing_path is None:
            return Q(pk__in=[])
        p = f"{pairing_path}__" if pairing_path else ""
        today = timezone.localdate()
        q &= Q(**{f"{p}carer_id": user.pk, f"{p}start_date__lte": today}) & (
            Q(**{f"{p}end_date__isnull": True}) | Q(**{f"{p}end_date__gte": today})
        )
    return q


def scope(user: User, queryset: QuerySet) -> QuerySet:
    """Restrict a queryset of a scoped model to what the user may see."""
    q = scope_filter(user, queryset.model)
    queryset = queryset.filter(q)
    if user.role == Role.CARER:
        # Carers reach records through pairings, which can repeat a row.
        queryset = queryset.distinct()
    return queryset


def division_visible(user: User, code: str) -> bool:
    prefix = user_prefix(user)
    return prefix is not None and code.startswith(prefix)
