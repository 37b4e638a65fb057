from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "guanai.registry"
    verbose_name = "儿童档案"
