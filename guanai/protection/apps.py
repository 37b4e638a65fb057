from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ProtectionConfig(AppConfig):
    name = "guanai.protection"
    verbose_name = gettext_lazy("未成年人保护")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.protection import contributions
        from guanai.protection.permissions import can_use_cases

        contributions.register()
        menu_add(
            MenuItem(
                "protection", 35, "protection:case_list", lambda u: _("保护个案"), can_use_cases
            )
        )
