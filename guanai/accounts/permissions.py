"""Small answers to "may this user do X?". Scope (which records) is decided in scoping.py."""

from guanai.accounts.models import Department, Role, User

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


# What a partner department sees of a child's file in its view: what its own work needs
# (docs/decisions/0010-audit-retention.md). Keys are the sections of registry.presenters. No
# department sees care narratives, photos, letters or works, or the file's revision history:
# those are the civil-affairs line's working record of the child.
DEPARTMENT_FILE_SECTIONS = {
    Department.EDUCATION: {"basic", "household", "guardians", "school", "health"},
    Department.HEALTH: {"basic", "household", "guardians", "health"},
    Department.DISABLED_FEDERATION: {"basic", "household", "guardians", "school", "health"},
    Department.PUBLIC_SECURITY: {"basic", "household", "father", "mother", "guardians"},
    Department.JUSTICE: {"basic", "father", "mother", "guardians"},
    Department.HUMAN_RESOURCES: {"basic", "household", "father", "mother"},
    Department.WOMENS_FEDERATION: {"basic", "household", "father", "mother", "guardians", "school"},
    Department.YOUTH_LEAGUE: {"basic", "school"},
    Department.CIVIL_AFFAIRS: {
        "basic",
        "household",
        "father",
        "mother",
        "guardians",
        "school",
        "health",
    },
}
DEPARTMENT_ATTACHMENT_KINDS = {"document"}  # 证明材料: certificates a department acts on


def _is_department(user: User) -> bool:
    return user.role == Role.DEPARTMENT and not user.is_superuser


def can_see_file_section(user: User, key: str) -> bool:
    if not _is_department(user):
        return True
    return key in DEPARTMENT_FILE_SECTIONS.get(user.department, {"basic"})


def attachment_kinds_for(user: User) -> set[str] | None:
    """The kinds of attachment the user's role sees; None for every kind."""
    return DEPARTMENT_ATTACHMENT_KINDS if _is_department(user) else None


def can_see_care_records(user: User) -> bool:
    """What carers saw and heard (mood, problems, serious concerns) and their photos."""
    return not _is_department(user)


def can_see_file_history(user: User) -> bool:
    return not _is_department(user)


def can_propose_benefits(user: User) -> bool:
    """The township proposes benefits (and the county); the village enters the facts."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in (Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN)
    )


def can_decide_benefits(user: User) -> bool:
    """The county approves, refuses and stops benefits."""
    return bool(
        user.is_authenticated and user.is_active and user.role in (Role.CIVIL_AFFAIRS, Role.ADMIN)
    )
