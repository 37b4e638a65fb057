from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guanai.core"
    verbose_name = "核心"
