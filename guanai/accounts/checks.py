"""Start-up checks of the login settings: a misspelt role would silently go without 2FA."""

from django.conf import settings
from django.core.checks import Error

from guanai.accounts.models import Role


def two_factor_roles_check(app_configs, **kwargs) -> list[Error]:
    unknown = sorted(set(settings.TWO_FACTOR_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"GUANAI_TWO_FACTOR_REQUIRED_ROLES 中有未知角色:{', '.join(unknown)}",
            hint=f"可用的角色:{', '.join(Role.values)}",
            id="guanai.accounts.E001",
        )
    ]
