from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from guanai.api.api import api
from guanai.registry import views as registry_views

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("", include("guanai.core.urls")),
    path("accounts/", include("guanai.accounts.urls")),
    path("children/", include("guanai.registry.urls")),
    path("audit/", include("guanai.audit.urls")),
    path("notices/", include("guanai.notices.urls")),
    path("rules/", include("guanai.rules.urls")),
    path("care/", include("guanai.care.urls")),
    path("protection/", include("guanai.protection.urls")),
    path("benefits/", include("guanai.benefits.urls")),
    path("disability/", include("guanai.disability.urls")),
    path("window/", include("guanai.window.urls")),
    path("stats/", include("guanai.stats.urls")),
    path("import/", include("guanai.ingest.urls")),
    path("ops/", include("guanai.ops.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
