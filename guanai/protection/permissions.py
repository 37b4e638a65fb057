"""Who may do what with protection cases. Which cases: selectors.py (through the gate)."""

from guanai.accounts.models import Role, User

REPORTERS = {
    Role.CHILD_DIRECTOR,
    Role.CHILD_SUPERVISOR,
    Role.CIVIL_AFFAIRS,
    Role.DEPARTMENT,
    Role.ADMIN,
}


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_use_cases(user: User) -> bool:
    """Staff: the case list, the menu item, reports on any child of their area (强制报告)."""
    return _active(user) and (user.role in REPORTERS or user.is_superuser)


def can_report(user: User) -> bool:
    """Staff, and carers for their paired children (转为报告 on a serious care record)."""
    return can_use_cases(user) or (_active(user) and user.role == Role.CARER)


def is_officer(user: User) -> bool:
    """The county protection officer: a civil-affairs user with the permission, or an admin."""
    if not _active(user):
        return False
    if user.role == Role.ADMIN or user.is_superuser:
        return True
    return user.role == Role.CIVIL_AFFAIRS and user.has_perm("protection.officer")


def is_supervisor(user: User) -> bool:
    return _active(user) and user.role == Role.CHILD_SUPERVISOR


def can_direct(user: User) -> bool:
    """Grade, assign, close and reopen: the township supervisor and the county officer."""
    return is_supervisor(user) or is_officer(user)


def can_see_figures(user: User) -> bool:
    return can_direct(user)


def may_work_cases(user: User) -> bool:
    """Who may be assigned a case or a task: any active staff user (departments included)."""
    return _active(user) and user.role in REPORTERS and user.role != Role.ADMIN
