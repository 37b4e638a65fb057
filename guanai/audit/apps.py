from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AuditConfig(AppConfig):
    name = "guanai.audit"
    verbose_name = gettext_lazy("审计日志")

    def ready(self):
        from guanai.accounts.permissions import can_read_audit
        from guanai.core.menu import MenuItem, menu_add

        menu_add(
            MenuItem("audit", 100, "audit:event_list", lambda user: _("审计日志"), can_read_audit)
        )
