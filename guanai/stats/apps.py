from django.apps import AppConfig
from django.utils.translation import gettext as _


class StatsConfig(AppConfig):
    name = "guanai.stats"
    verbose_name = "统计报表"

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.stats.permissions import can_see_stats

        menu_add(MenuItem("stats", 50, "stats:dashboard", lambda user: _("统计"), can_see_stats))
