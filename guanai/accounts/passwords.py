"""The password policy (等保 level 3), as validators named in AUTH_PASSWORD_VALIDATORS, and when
a password is due for change.

Django's own validators give the length (10, with a Chinese message here), the common-password list (shipped with Django,
read offline) and likeness to the user's name; these add the character classes, the username
inside the password, and the history of the last passwords.
"""

import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guanai.accounts.models import PasswordHistory, User

CHARACTER_CLASSES = (
    string.ascii_lowercase,
    string.ascii_uppercase,
    string.digits,
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    used = {i for ch in password for i, chars in enumerate(CHARACTER_CLASSES) if ch in chars}
    others = any(not any(ch in chars for chars in CHARACTER_CLASSES) for ch in password)
    return len(used) + others


class MinimumLengthValidator(DjangoMinimumLength):
    """Django's, with a message in Chinese (Django 5.2's own has no Chinese translation yet)."""

    def get_error_message(self) -> str:
        return self.get_help_text()

    def get_help_text(self) -> str:
        return _("密码至少需要 %(count)d 个字符") % {"count": self.min_length}


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(count)d 类") % {
            "count": self.min_classes
        }


class UsernameValidator:
    """The username, in any case, may not be the password or a part of it."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名")


class PasswordHistoryValidator:
    """None of the user's last `keep` passwords again; every saved password joins the history."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def _recent(self, user: User):
        return PasswordHistory.objects.filter(user=user)[: self.keep]

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, old.password) for old in self._recent(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        """Called by Django whenever a user with a new password is saved."""
        if user is None or user.pk is None:
            return
        now = timezone.now()
        PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
        keep = list(self._recent(user).values_list("pk", flat=True))
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now

    def get_help_text(self) -> str:
        return _("不能使用最近 %(count)d 次用过的密码") % {"count": self.keep}


def password_change_due(user: User) -> str:
    """Why the user must choose a new password before going on ('' if they need not)."""
    if user.must_change_password:
        return _("这是管理员设置的初始密码,请先修改为您自己的密码")
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days:
        return ""
    changed = user.password_changed_at
    if changed is None or timezone.now() - changed > timedelta(days=days):
        return _("密码已使用超过 %(days)d 天,请修改密码") % {"days": days}
    return ""


# Letters and digits that cannot be misread for one another when read out or copied by hand.
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def password_generate(length: int = 12) -> str:
    """A random password that meets the policy, for an administrator to hand over."""
    while True:
        password = "".join(secrets.choice(_READABLE) for _ in range(length))
        if character_classes(password) >= 3:
            return password
