from django.urls import path

from guanai.core import health

app_name = "core"
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
