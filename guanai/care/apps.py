from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "guanai.care"
    verbose_name = "关爱帮扶"

    def ready(self):
        from guanai.care import contributions

        contributions.register()
