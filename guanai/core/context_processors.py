from guanai.core.menu import menu_for


def navigation(request):
    """The menu for the user's role (see core/menu.py)."""
    user = getattr(request, "user", None)
    # Nothing to offer during a login step (guanai.accounts.middleware): it would lead back.
    if user is None or not user.is_authenticated or getattr(request, "login_step", ""):
        return {"nav_items": []}
    return {"nav_items": menu_for(user)}
