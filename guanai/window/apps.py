from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class WindowConfig(AppConfig):
    name = "guanai.window"
    verbose_name = gettext_lazy("一门受理")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.window import contributions
        from guanai.window.permissions import can_use_window, is_department_desk

        contributions.register()
        menu_add(
            MenuItem(
                "window", 37, "window:application_list", lambda u: _("一门受理"), can_use_window
            )
        )
        menu_add(
            MenuItem("desk", 38, "window:work_list", lambda u: _("部门待办"), is_department_desk)
        )
