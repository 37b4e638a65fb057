from django.urls import path

from guanai.rules import views

app_name = "rules"
urlpatterns = [
    path("gaps/", views.gap_list, name="gap_list"),
    path("gaps/export/", views.gap_export, name="gap_export"),
    path("changes/", views.change_list, name="change_list"),
    path("changes/confirm/", views.change_confirm, name="change_confirm"),
    path("children/<int:child_pk>/receipts/new/", views.receipt_create, name="receipt_create"),
    path("receipts/<int:receipt_pk>/end/", views.receipt_end, name="receipt_end"),
    path("children/<int:child_pk>/events/new/", views.event_create, name="event_create"),
    path("events/<int:event_pk>/end/", views.event_end, name="event_end"),
    path("parameters/", views.parameter_list, name="parameter_list"),
]
