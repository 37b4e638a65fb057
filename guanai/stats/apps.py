from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "guanai.stats"
    verbose_name = "统计报表"
