from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "guanai.accounts"
    verbose_name = "账户与角色"

    def ready(self) -> None:
        from guanai.accounts.checks import two_factor_roles_check

        checks.register(two_factor_roles_check)
