from django.urls import path

from guanai.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("propose/<int:child_pk>/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:proposal_pk>/", views.proposal_detail, name="proposal_detail"),
    path("receipts/<int:receipt_pk>/stop/", views.receipt_stop, name="receipt_stop"),
    path("payments/", views.payment_list_index, name="payment_list_index"),
    path("payments/<int:list_pk>/", views.payment_list_detail, name="payment_list_detail"),
    path("payments/<int:list_pk>/xlsx/", views.payment_list_xlsx, name="payment_list_xlsx"),
]
