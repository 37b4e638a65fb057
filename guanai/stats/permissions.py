"""Who may read statistics and request reports (which nodes: guanai.accounts.scoping)."""

from guanai.accounts import permissions
from guanai.accounts.models import Role, User

STATS_READERS = {
    Role.CHILD_DIRECTOR,
    Role.CHILD_SUPERVISOR,
    Role.CIVIL_AFFAIRS,
    Role.DEPARTMENT,
    Role.ADMIN,
}


def can_see_stats(user: User) -> bool:
    return user.is_authenticated and (user.role in STATS_READERS or user.is_superuser)


def can_request_reports(user: User) -> bool:
    return can_see_stats(user) and permissions.can_export(user)


def can_enter_bases(user: User) -> bool:
    """The expected child population per village is entered by the county (民政局)."""
    return user.is_authenticated and user.role in {Role.CIVIL_AFFAIRS, Role.ADMIN}
