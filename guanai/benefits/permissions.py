"""Who proposes and who decides (maker-checker): the township proposes, the county decides."""

from guanai.accounts.models import Role, User
from guanai.accounts.permissions import can_decide_benefits, can_propose_benefits


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_propose(user: User) -> bool:
    return can_propose_benefits(user)


def can_decide(user: User) -> bool:
    return can_decide_benefits(user)


def can_see_proposals(user: User) -> bool:
    return can_propose(user) or (_active(user) and user.role == Role.CHILD_DIRECTOR)
