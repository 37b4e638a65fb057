from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "guanai.ingest"
    verbose_name = "部门名册导入"

    def ready(self):
        from guanai.ingest import contributions

        contributions.register()
