"""The main menu, built from what each app adds in its `AppConfig.ready()` (`menu_add`).

Pages decide access themselves; the menu only hides links the user cannot use.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    key: str  # also the page's `nav_active`
    order: int  # place in the menu, smallest first
    url_name: str
    label: Callable[[object], str]  # from the user: a carer's list is "my paired children"
    visible: Callable[[object], bool] = lambda user: True


_items: dict[str, MenuItem] = {}


def menu_add(item: MenuItem) -> None:
    _items[item.key] = item


def menu_for(user) -> list[tuple[str, str, str]]:
    """(label, url, key) of the items the user may use, in order."""
    return [
        (item.label(user), reverse(item.url_name), item.key)
        for item in sorted(_items.values(), key=lambda i: i.order)
        if item.visible(user)
    ]
