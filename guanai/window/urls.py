from django.urls import path

from guanai.window import views

app_name = "window"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("apply/", views.intake_start, name="intake_start"),
    path("apply/<int:child_pk>/", views.intake, name="intake"),
    path("applications/<int:application_pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_pk>/receipt/", views.receipt, name="receipt"),
    path("applications/<int:application_pk>/refer/", views.referral_create, name="referral_create"),
    path("refer/<int:child_pk>/", views.referral_start, name="referral_start"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:referral_pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:referral_pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:referral_pk>/ask/", views.referral_ask, name="referral_ask"),
    path("referrals/<int:referral_pk>/resume/", views.referral_resume, name="referral_resume"),
    path("referrals/<int:referral_pk>/reject/", views.referral_reject, name="referral_reject"),
    path(
        "referrals/<int:referral_pk>/complete/", views.referral_complete, name="referral_complete"
    ),
    path("referrals/<int:referral_pk>/revoke/", views.referral_revoke, name="referral_revoke"),
    path(
        "referrals/<int:referral_pk>/reassign/", views.referral_reassign, name="referral_reassign"
    ),
    path("desk/", views.work_list, name="work_list"),
    path("documents/<int:document_pk>/", views.document, name="document"),
    path("figures/", views.figures, name="figures"),
    path("calendar/", views.calendar, name="calendar"),
]
