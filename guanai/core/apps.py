from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class CoreConfig(AppConfig):
    name = "guanai.core"
    verbose_name = gettext_lazy("核心")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add

        menu_add(MenuItem("home", 10, "home", lambda user: _("首页")))
