from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.geo.models import Level


class Role(models.TextChoices):
    CHILD_DIRECTOR = "child_director", _("儿童主任")
    CHILD_SUPERVISOR = "child_supervisor", _("儿童督导员")
    CIVIL_AFFAIRS = "civil_affairs", _("民政局工作人员")
    DEPARTMENT = "department", _("部门工作人员")
    CARER = "carer", _("爱心妈妈/志愿者")
    ADMIN = "admin", _("系统管理员")


class Department(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("卫健")
    PUBLIC_SECURITY = "public_security", _("公安")
    JUSTICE = "justice", _("司法")
    HUMAN_RESOURCES = "human_resources", _("人社")
    DISABLED_FEDERATION = "disabled_federation", _("残联")
    WOMENS_FEDERATION = "womens_federation", _("妇联")
    YOUTH_LEAGUE = "youth_league", _("团委")


# The level of node each role is attached to; a user without a matching node cannot log in.
ROLE_LEVEL = {
    Role.CHILD_DIRECTOR: Level.VILLAGE,
    Role.CHILD_SUPERVISOR: Level.TOWNSHIP,
    Role.CIVIL_AFFAIRS: Level.COUNTY,
    Role.DEPARTMENT: Level.COUNTY,
    Role.CARER: Level.VILLAGE,
}


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    division = models.ForeignKey(
        "geo.Division",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    department = models.CharField(_("部门"), max_length=30, choices=Department.choices, blank=True)
    # The head (负责人) of their department's desk in the county, set by the county: a referral
    # past its limit is told to the heads (all the desk's users where none is named).
    is_department_head = models.BooleanField(_("部门负责人"), default=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    last_failed_login_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Set when an administrator gives the account a password (creation, reset): the user
    # chooses their own at the next login.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    # Written whenever a password is saved (guanai.accounts.passwords.PasswordHistoryValidator).
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @property
    def role_label(self) -> str:
        label = str(Role(self.role).label) if self.role else ""
        if self.role == Role.DEPARTMENT and self.department:
            return f"{Department(self.department).label}{label}"
        return label


class ApiToken(models.Model):
    """A bearer token for another department's system; it acts as its user, with the same scope."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that none of them is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)  # a hash, like User.password
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Failed logins counted by client address, and by username where no account has it.

    An existing account counts on its own row (User.failed_login_count...); a name that is no
    account counts here the same way, so both answer alike and lock alike.
    """

    key = models.CharField(max_length=200, unique=True)  # "address:<ip>" or "name:<username>"
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    last_failed_login_at = models.DateTimeField(null=True, blank=True, db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
