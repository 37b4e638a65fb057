from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guanai.core.errors import NotForRole
from guanai.ops.permissions import can_see_server_status
from guanai.ops.selectors import FAILED_DAYS, server_status


@require_GET
def status(request):
    if not can_see_server_status(request.user):
        raise NotForRole(_("只有系统管理员可以查看运行状态"))
    context = {"status": server_status(), "failed_days": FAILED_DAYS, "nav_active": "ops"}
    return render(request, "ops/status.html", context)
