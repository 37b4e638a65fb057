from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "guanai.care"
    verbose_name = "关爱帮扶"
