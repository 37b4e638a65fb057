from django.urls import path

from guanai.care import views

app_name = "care"
urlpatterns = [
    path("", views.my_week, name="my_week"),
    path("overview/", views.overview, name="overview"),
    path("overdue/", views.overdue_list, name="overdue_list"),
    path("unpaired/", views.unpaired_list, name="unpaired_list"),
    path("over-limit/", views.over_limit_list, name="over_limit_list"),
    path("flags/", views.flag_list, name="flag_list"),
    path("flags/<int:flag_pk>/", views.flag_detail, name="flag_detail"),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/new/<int:child_pk>/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pairing_pk>/end/", views.pairing_end, name="pairing_end"),
    path("pairings/<int:pairing_pk>/card.pdf", views.pairing_card, name="pairing_card"),
    path("records/new/<int:child_pk>/", views.record_create, name="record_create"),
    path("records/<int:record_pk>/", views.record_detail, name="record_detail"),
    path("terms/", views.term_list, name="term_list"),
]
