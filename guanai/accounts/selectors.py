from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from guanai.accounts.models import User
from guanai.accounts.permissions import can_manage_users
from guanai.accounts.scoping import user_prefix
from guanai.core.errors import AccessDenied
from guanai.geo.models import Division


def user_list_for(user: User) -> QuerySet[User]:
    """Accounts attached to the manager's node and below (administrators see all)."""
    if not can_manage_users(user):
        raise AccessDenied(_("只有县级民政部门或管理员可以管理账户"))
    prefix = user_prefix(user)
    users = (
        User.objects.select_related("division")
        .annotate(
            has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("division__code", "username")
    )
    if prefix:
        users = users.filter(Q(division__code__startswith=prefix))
    return users


def user_get_for(user: User, pk: int) -> User:
    found = user_list_for(user).filter(pk=pk).first()
    if found is None:
        raise AccessDenied(_("没有找到该账户,或不在您的管辖范围内"))
    return found


def assignable_divisions_for(user: User) -> QuerySet[Division]:
    prefix = user_prefix(user) or ""
    return Division.objects.filter(code__startswith=prefix).order_by("code")
