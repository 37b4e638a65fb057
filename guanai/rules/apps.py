from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "guanai.rules"
    verbose_name = "类别与保障认定"

    def ready(self):
        from guanai.rules import contributions

        contributions.register()
