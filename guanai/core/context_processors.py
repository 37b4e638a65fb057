from guanai.core.menu import menu_for


def navigation(request):
    """The menu for the user's role (see core/menu.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(user)}
