"""Small answers to "may this user do X?". Scope (which records) is decided in scoping.py."""

from guanai.accounts.models import Role, User

WRITERS = {Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN}
SENSITIVE_READERS = {Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN}


def can_edit_children(user: User) -> bool:
    return user.is_authenticated and user.role in WRITERS


def can_register_children(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR}


def can_reveal_sensitive(user: User) -> bool:
    """ID numbers, phones, health and disability: shown masked unless the role needs them."""
    return user.is_authenticated and user.role in SENSITIVE_READERS


def can_export(user: User) -> bool:
    return user.is_authenticated and user.role in {
        Role.CHILD_DIRECTOR,
        Role.CHILD_SUPERVISOR,
        Role.CIVIL_AFFAIRS,
        Role.DEPARTMENT,
        Role.ADMIN,
    }


def can_upload_attachments(user: User) -> bool:
    """Photos, letters, works and documents; carers add them for the children paired with them."""
    return user.is_authenticated and user.role in WRITERS | {Role.CARER}


def can_read_audit(user: User) -> bool:
    """The township supervisor over their township, the county over the county; not villages."""
    return user.is_authenticated and user.role in {
        Role.CHILD_SUPERVISOR,
        Role.CIVIL_AFFAIRS,
        Role.ADMIN,
    }


def can_manage_users(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.CIVIL_AFFAIRS, Role.ADMIN}
