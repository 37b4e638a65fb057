from django.urls import path

from guanai.disability import views

app_name = "disability"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("apply/<int:child_pk>/", views.application_create, name="application_create"),
    path("applications/<int:rehab_pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:rehab_pk>/refer/",
        views.application_refer,
        name="application_refer",
    ),
    path(
        "applications/<int:rehab_pk>/progress/",
        views.application_progress,
        name="application_progress",
    ),
    path("applications/<int:rehab_pk>/claim/", views.claim_create, name="claim_create"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:claim_pk>/check/", views.claim_check, name="claim_check"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:batch_pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:batch_pk>/batch.xlsx", views.batch_xlsx, name="batch_xlsx"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("teaching/", views.teaching_list, name="teaching_list"),
    path("teaching/new/<int:child_pk>/", views.teaching_create, name="teaching_create"),
    path("teaching/<int:teaching_pk>/", views.teaching_detail, name="teaching_detail"),
]
