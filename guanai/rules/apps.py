from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class RulesConfig(AppConfig):
    name = "guanai.rules"
    verbose_name = gettext_lazy("类别与保障认定")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.rules import contributions
        from guanai.rules.permissions import can_confirm_changes, can_see_benefits

        contributions.register()
        menu_add(
            MenuItem("gaps", 80, "rules:gap_list", lambda user: _("应保尽保"), can_see_benefits)
        )
        menu_add(
            MenuItem(
                "changes", 90, "rules:change_list", lambda user: _("认定变化"), can_confirm_changes
            )
        )
