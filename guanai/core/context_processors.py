from django.utils.functional import SimpleLazyObject

from guanai.core.menu import menu_for


def navigation(request):
    """The menu for the user's role (see core/menu.py)."""
    user = getattr(request, "user", None)
    # Nothing to offer during a login step (guanai.accounts.middleware): it would lead back.
    if user is None or not user.is_authenticated or getattr(request, "login_step", ""):
        return {"nav_items": []}
    # Built when a template shows it: partials (htmx rows) and PDFs skip the menu's queries.
    return {"nav_items": SimpleLazyObject(lambda: menu_for(user))}
