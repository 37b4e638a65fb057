"""Small answers to "may this user do X?" for care work. Which rows: accounts/scoping.py."""

from guanai.accounts.models import Role, User

STAFF = {Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN}


def _has(user: User, roles: set[str]) -> bool:
    return bool(user.is_authenticated and (user.role in roles or user.is_superuser))


def can_manage_pairings(user: User) -> bool:
    return _has(user, STAFF)


def can_see_figures(user: User) -> bool:
    return _has(user, STAFF)


def can_see_flags(user: User) -> bool:
    return _has(user, STAFF)


def can_handle_flags(user: User) -> bool:
    """The township supervisor acts on serious problems (and the county above)."""
    return _has(user, {Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN})


def can_set_terms(user: User) -> bool:
    return _has(user, {Role.CIVIL_AFFAIRS, Role.ADMIN})


def can_record(user: User) -> bool:
    return _has(user, {Role.CARER, Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})


def may_be_carer(user: User) -> bool:
    """Who can be paired with a child: volunteers and teachers (carer role), child directors."""
    return user.is_active and user.role in {Role.CARER, Role.CHILD_DIRECTOR}
