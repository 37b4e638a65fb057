from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _label(user) -> str:
    from guanai.notices.selectors import unread_count

    count = unread_count(user)
    return _("通知 (%(count)d)") % {"count": count} if count else _("通知")


class NoticesConfig(AppConfig):
    name = "guanai.notices"
    verbose_name = gettext_lazy("通知")

    def ready(self):
        from guanai.core.menu import MenuItem, menu_add
        from guanai.notices import checks  # noqa: F401  (registers the backends' check)

        # Right after the home page: on a phone the folded menu opens on it.
        menu_add(MenuItem("notices", 15, "notices:list", _label))
