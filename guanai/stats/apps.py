from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class StatsConfig(AppConfig):
    name = "guanai.stats"
    verbose_name = gettext_lazy("统计报表")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.registry import extensions
        from guanai.stats.figures import FILES, STAFFING
        from guanai.stats.permissions import can_see_stats
        from guanai.stats.summaries import stored_node_counts

        extensions.figure_section_add(FILES)
        extensions.figure_section_add(STAFFING)
        # The home page of a county or township reads its counts from the stored summaries.
        extensions.stored_counts_set(extensions.StoredCounts("stats", stored_node_counts))

        menu_add(MenuItem("stats", 50, "stats:dashboard", lambda user: _("统计"), can_see_stats))
