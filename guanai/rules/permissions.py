"""Who may see and do what with categories, benefits and their changes (scope is scoping.py's).

Reasons name health facts (disability, serious illness, AIDS): they are shown to the roles that
may read the unmasked file, the same as in the registry. Others see category names only.
"""

from guanai.accounts import permissions
from guanai.accounts.models import User


def can_see_reasons(user: User) -> bool:
    return permissions.can_reveal_sensitive(user)


def can_see_benefits(user: User) -> bool:
    """The gap list, receipts and parameters: the civil-affairs line (村、乡镇、县)."""
    return permissions.can_reveal_sensitive(user)


def can_record_benefits(user: User) -> bool:
    return permissions.can_edit_children(user) and can_see_benefits(user)


def can_confirm_changes(user: User) -> bool:
    return permissions.can_edit_children(user)


def can_export_gaps(user: User) -> bool:
    return can_see_benefits(user) and permissions.can_export(user)
