from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class OpsConfig(AppConfig):
    """Running a county's server: the background worker, backup and restore, the status page.
    Built on every app (it sweeps their silent jobs and audits what it does), so it sits in the
    top layer."""

    name = "guanai.ops"
    verbose_name = gettext_lazy("运维")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.ops.permissions import can_see_server_status

        menu_add(
            MenuItem("ops", 110, "ops:status", lambda user: _("运行状态"), can_see_server_status)
        )
