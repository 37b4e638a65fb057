from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class CareConfig(AppConfig):
    name = "guanai.care"
    verbose_name = gettext_lazy("关爱帮扶")

    def ready(self):
        from guanai.accounts.models import Role
        from guanai.care import contributions
        from guanai.core.menu import MenuItem, menu_add

        contributions.register()
        menu_add(
            MenuItem(
                "care_week",
                30,
                "care:my_week",
                lambda user: _("本周待办"),
                lambda user: user.role == Role.CARER,
            )
        )
        menu_add(
            MenuItem(
                "care",
                31,
                "care:overview",
                lambda user: _("关爱任务"),
                lambda user: (
                    user.role in (Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS)
                ),
            )
        )
