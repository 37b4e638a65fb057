from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses locked accounts, whatever door (page, API, admin) they knock on."""

    def user_can_authenticate(self, user) -> bool:
        locked = user.locked_until is not None and user.locked_until > timezone.now()
        return super().user_can_authenticate(user) and not locked
