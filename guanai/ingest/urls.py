from django.urls import path

from guanai.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.import_upload, name="import_upload"),
    path("jobs/", views.import_job_list, name="import_job_list"),
    path("jobs/<int:job_id>/", views.import_job, name="import_job"),
    path("jobs/<int:job_id>/commit/", views.import_job_commit, name="import_job_commit"),
    path("jobs/<int:job_id>/retry/", views.import_job_retry, name="import_job_retry"),
    path("profiles/", views.profile_list, name="profile_list"),
    path("profiles/new/", views.profile_create, name="profile_create"),
    path("profiles/<int:profile_id>/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:profile_id>/delete/", views.profile_delete, name="profile_delete"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
]
