from django.urls import path

from guanai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("password/", views.password_change_view, name="password_change"),
    path("me/", views.account, name="account"),
    path("me/recovery-codes/", views.recovery_codes_new, name="recovery_codes_new"),
    path("me/two-factor-off/", views.two_factor_off, name="two_factor_off"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/head/", views.user_head, name="user_head"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user_password_reset"),
    path(
        "users/<int:pk>/two-factor-reset/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
]
