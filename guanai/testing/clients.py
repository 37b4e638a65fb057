"""A test client that logs in through both factors.

Django's force_login skips the password by writing the session; this one also writes what the
second login step writes (django-otp's device in the session), with an authenticator of a
known key bound for users who need one. Tests of the login steps themselves pass
`second_factor=False`, or post codes from `totp_code`.
"""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guanai.accounts import twofactor
from guanai.accounts.models import User

TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex


def bound_authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, bound with the known test key if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(
        user=user, name=twofactor.AUTHENTICATOR_NAME, key=TEST_TOTP_KEY, confirmed=True
    )


def totp_code(device: TOTPDevice, step: int | None = None) -> str:
    """The code the user's app shows at a time step (the next one the device accepts by
    default: a code is good once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time()
    if step is None:
        step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


class TwoFactorClient(Client):
    def force_login(self, user, backend=None, *, second_factor: bool = True):
        super().force_login(user, backend)
        if second_factor and (
            twofactor.has_second_factor(user) or twofactor.two_factor_required(user)
        ):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = bound_authenticator(user).persistent_id
            session.save()
