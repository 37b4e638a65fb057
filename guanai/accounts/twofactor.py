"""The second login step: an authenticator app (TOTP, django-otp) and one-use recovery codes.

A user has at most one confirmed authenticator and one set of recovery codes (django-otp's
static device). Enrolment makes an unconfirmed authenticator, shows its secret as text and as
a QR code (drawn here, no network), and confirms it with a first code; the recovery codes are
made then and shown once. Which roles must have it is the setting TWO_FACTOR_REQUIRED_ROLES.
"""

import base64
from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guanai.accounts.models import User
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import DomainError

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "手机验证器"
RECOVERY_NAME = "恢复码"


def two_factor_required(user: User) -> bool:
    return user.role in settings.TWO_FACTOR_REQUIRED_ROLES


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def authenticator_pending(user: User) -> TOTPDevice:
    """The authenticator being enrolled: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG inside a data: URI (allowed by the CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def recovery_codes_issue(*, actor: User, user: User) -> list[str]:
    """New recovery codes for the user; the old ones stop working. Shown once, then only
    django-otp's copies remain, each deleted when used."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit(actor=actor, action=Action.UPDATE, target=user, detail="生成新的两步验证恢复码")
    return codes


def authenticator_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm an enrolment with the app's first code; returns the new recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("该验证器不属于您或已启用,请刷新页面重新绑定"), field="code")
    # Checked before the transaction, so that django-otp's count of wrong codes is kept.
    if not device.verify_token(_normalise(code)):
        raise DomainError(
            _("验证码不正确,请核对手机时间后输入验证器当前显示的 6 位数字"), field="code"
        )
    with transaction.atomic():
        # One authenticator per user: a new phone replaces the old one.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit(actor=user, action=Action.UPDATE, target=user, detail="启用两步验证(手机验证器)")
        return recovery_codes_issue(actor=user, user=user)


def device_matching(user: User, code: str):
    """The confirmed device (authenticator or recovery codes) that accepts the code, or None.

    django-otp throttles each device after a wrong code and refuses a code used before.
    """
    code = _normalise(code)
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(code):
                return locked
    return None


def is_recovery_device(device) -> bool:
    return isinstance(device, StaticDevice)


@transaction.atomic
def two_factor_remove(*, actor: User, user: User) -> None:
    """Remove the user's authenticator and recovery codes (a lost phone, or turning it off)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    detail = "关闭两步验证" if actor.pk == user.pk else "重置两步验证(下次登录重新绑定)"
    audit(actor=actor, action=Action.UPDATE, target=user, detail=detail)
