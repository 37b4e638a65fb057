from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AccountsConfig(AppConfig):
    name = "guanai.accounts"
    verbose_name = gettext_lazy("账户与角色")

    def ready(self) -> None:
        from guanai.accounts.checks import two_factor_roles_check
        from guanai.accounts.permissions import can_manage_users
        from guanai.core.menu import MenuItem, menu_add

        checks.register(two_factor_roles_check)
        menu_add(
            MenuItem(
                "users", 70, "accounts:user_list", lambda user: _("账户管理"), can_manage_users
            )
        )
