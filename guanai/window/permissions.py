"""Who may do what at the window and on a referral. Which rows: selectors.py (the gate)."""

from guanai.accounts.models import Department, Role, User

WINDOW_STAFF = {Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN}


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_use_window(user: User) -> bool:
    """The township window and the county: receive applications, route referrals."""
    return _active(user) and (user.role in WINDOW_STAFF or user.is_superuser)


def can_manage(user: User) -> bool:
    """Revoke or reassign a referral: the township supervisor or the county."""
    return can_use_window(user)


def desk_of(user: User) -> str:
    """The department whose work list the user keeps ('' for none): a department user's own,
    and civil affairs for the county's civil-affairs staff."""
    if not _active(user):
        return ""
    if user.role == Role.DEPARTMENT:
        return user.department or ""
    if user.role == Role.CIVIL_AFFAIRS:
        return Department.CIVIL_AFFAIRS
    return ""


def is_department_desk(user: User) -> bool:
    return _active(user) and user.role == Role.DEPARTMENT and bool(user.department)


def can_see_figures(user: User) -> bool:
    return can_use_window(user)


def can_edit_calendar(user: User) -> bool:
    """The county's civil-affairs staff edit their county's holiday rows."""
    return _active(user) and user.role == Role.CIVIL_AFFAIRS
