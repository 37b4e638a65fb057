from django.shortcuts import render

from guanai.accounts import permissions
from guanai.core.selectors import home_summary


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "summary": home_summary(request.user),
            "can_register": permissions.can_register_children(request.user),
            "nav_active": "home",
        },
    )
