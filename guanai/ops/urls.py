from django.urls import path

from guanai.ops import views

app_name = "ops"
urlpatterns = [path("", views.status, name="status")]
