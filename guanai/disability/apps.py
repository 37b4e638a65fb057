from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DisabilityConfig(AppConfig):
    name = "guanai.disability"
    verbose_name = gettext_lazy("残疾儿童康复救助")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.disability import contributions
        from guanai.disability.permissions import can_use

        contributions.register()
        menu_add(
            MenuItem("disability", 33, "disability:overview", lambda user: _("康复救助"), can_use)
        )
