from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running a county's server: the background worker, backup and restore. Built on every
    app (it sweeps their silent jobs and audits what it does), so it sits in the top layer."""

    name = "guanai.ops"
    verbose_name = "运维"
