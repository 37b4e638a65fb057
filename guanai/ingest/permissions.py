"""Who may import rosters and decide uncertain pairs (scope is scoping.py's)."""

from guanai.accounts.models import Role, User

IMPORTERS = {Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN}


def can_import(user: User) -> bool:
    """The township supervisor keeps the township's database (DOMAIN.md); the county too."""
    return user.is_authenticated and user.role in IMPORTERS


def can_review_links(user: User) -> bool:
    """Deciding "same child?": importers, and the village director, who knows the children."""
    return user.is_authenticated and user.role in IMPORTERS | {Role.CHILD_DIRECTOR}
