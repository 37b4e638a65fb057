"""The file the audit log page may be narrowed to (?child=N), found by the app that keeps
files: the registry registers its scoped getter here in its `ready()`, so that the audit log,
below the registry, never imports it. The getter refuses a file outside the user's
jurisdiction (AccessDenied, shown as 404 and audited as a refusal)."""

from collections.abc import Callable

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.core.errors import AccessDenied

_getter: list[Callable[[User, int], Model]] = []


def file_subject_set(getter: Callable[[User, int], Model]) -> None:
    _getter[:] = [getter]


def file_subject(user: User, pk: int) -> Model:
    if not _getter:
        raise AccessDenied(_("没有找到该档案"))
    return _getter[0](user, pk)
