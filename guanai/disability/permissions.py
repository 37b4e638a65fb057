"""Who may do what in rehabilitation assistance. Which rows: accounts/scoping.py.

The disabled persons' federation (a county department user) runs it with the county's
civil-affairs officers; township and village staff file applications for the children of
their area. There is no finance role yet: the federation and civil affairs make the batches
that finance pays (docs/decisions/0013-disability.md).
"""

from guanai.accounts.models import Department, Role, User


def _federation(user: User) -> bool:
    return user.role == Role.DEPARTMENT and user.department == Department.DISABLED_FEDERATION


def _county(user: User) -> bool:
    """The federation, the county's civil-affairs officers, administrators."""
    return bool(
        user.is_authenticated
        and (
            user.is_superuser or user.role in (Role.ADMIN, Role.CIVIL_AFFAIRS) or _federation(user)
        )
    )


def can_use(user: User) -> bool:
    """The menu item and the lists."""
    return can_apply(user) or _county(user) or can_manage_teaching(user)


def can_apply(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (user.role in (Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR) or _county(user))
    )


def can_refer(user: User) -> bool:
    return _county(user)


def can_manage_institutions(user: User) -> bool:
    return _county(user)


def can_enter_claims(user: User) -> bool:
    """Claims are entered, and the institution's check recorded, at the county."""
    return _county(user)


def can_check_federation(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.role == Role.ADMIN or _federation(user))
    )


def can_make_batches(user: User) -> bool:
    return _county(user)


def can_see_diagnosis(user: User) -> bool:
    """Diagnoses are shown to those who decide on them; masked for everyone else."""
    return _county(user) or bool(user.is_authenticated and user.role == Role.CHILD_SUPERVISOR)


def can_manage_teaching(user: User) -> bool:
    """送教上门 agreements and records: the education line, the federation, civil-affairs staff."""
    if not user.is_authenticated:
        return False
    if user.role == Role.DEPARTMENT:
        return user.department in (Department.EDUCATION, Department.DISABLED_FEDERATION)
    return user.is_superuser or user.role in (
        Role.ADMIN,
        Role.CIVIL_AFFAIRS,
        Role.CHILD_SUPERVISOR,
        Role.CHILD_DIRECTOR,
    )
