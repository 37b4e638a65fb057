from django.urls import path

from guanai.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_status, name="report_status"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("bases/<str:division_code>/", views.base_edit, name="base_edit"),
    path("<str:division_code>/", views.dashboard, name="node"),
]
