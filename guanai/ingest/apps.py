from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class IngestConfig(AppConfig):
    name = "guanai.ingest"
    verbose_name = gettext_lazy("部门名册导入")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.ingest import contributions
        from guanai.ingest.permissions import can_import

        contributions.register()
        menu_add(
            MenuItem("imports", 60, "ingest:import_upload", lambda user: _("导入"), can_import)
        )
