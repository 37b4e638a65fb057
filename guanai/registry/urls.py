from django.urls import path

from guanai.registry import attachment_views, report_views, review_views, views

app_name = "registry"
urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("new/", views.child_create, name="child_create"),
    path("<int:pk>/", views.child_detail, name="child_detail"),
    path("<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("<int:pk>/reveal/", views.child_reveal, name="child_reveal"),
    path("<int:pk>/deactivate/", views.child_deactivate, name="child_deactivate"),
    path("<int:pk>/reactivate/", views.child_reactivate, name="child_reactivate"),
    path("<int:pk>/history/<int:number>/", views.child_revision, name="child_revision"),
    path("<int:pk>/pdf/", report_views.child_pdf, name="child_pdf"),
    path("review/", review_views.review_list, name="review_list"),
    path("review/<int:review_pk>/return/", review_views.review_return, name="review_return"),
    path("review/settings/", review_views.review_settings, name="review_settings"),
    path("export.xlsx", report_views.child_roster_export, name="child_roster_export"),
    path("<int:pk>/attachments/", attachment_views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        attachment_views.attachment_download,
        name="attachment_download",
    ),
]
