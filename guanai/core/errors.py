"""The domain's refusals, worded once in Chinese and shown in the reader's language.

A message is marked for translation where it is raised (`gettext_lazy`, imported as `_`) and
stays lazy: it renders in the active language when a page, a form or the API shows it, and in
Chinese when it is written down (`in_record`: the audit log and stored text are the county's
record). A message with values names them (`_("第 %(line)s 条:%(error)s")`, with `line=...,
error=...` given to the error), so the whole sentence is translated and the values are filled
in at display, in the same language (a value may itself be a lazy message or a choice label).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy

Message = str | Promise


def _filled(message: Message, values: dict[str, Any]) -> str:
    return str(message) % {name: _shown(value) for name, value in values.items()}


def _shown(value: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value


filled = lazy(_filled, str)


def _listed(items: list[Any], separator: str) -> str:
    return separator.join(str(item) for item in items)


listed = lazy(_listed, str)  # items (lazy labels among them) joined when shown


def worded(message: Message, **values: Any) -> Message:
    """The message with its named values, rendered when shown (lazy, like the message)."""
    return filled(message, values) if values else message


def in_record(text: Any) -> Any:
    """Text as the record keeps it: a lazy message or label rendered in the source language."""
    if not isinstance(text, Promise):
        return text
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


P = ParamSpec("P")
R = TypeVar("R")


def recorded(func: Callable[P, R]) -> Callable[P, R]:
    """Run a service in the record's language: the text it writes down (audit details, notices,
    a finding's reasons, captions built from choice labels) is Chinese whoever asks. What it
    raises stays lazy and is shown in the asker's language."""

    @wraps(func)
    def in_source_language(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return in_source_language


class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user in their language.

    `message` is a lazy string (or a plain one, for text that is not the code's own words);
    `values` fill its named placeholders when it is shown.
    """

    def __init__(self, message: Message, *, field: str | None = None, **values: Any):
        self.message = worded(message, **values)
        super().__init__(self.message)
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class AccessDenied(DomainError):
    """The user may not see or change this object (views turn it into 404 or 403)."""


class NotForRole(AccessDenied):
    """The user sees the file but their role may not see this part of it: answered 403.

    Not 404: the file is in the user's view, so saying the part exists tells them nothing new.
    """


def form_error(form, error: DomainError) -> None:
    """Show a service's refusal on the form: beside its field when the form has it."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def require(allowed: bool, message: Message, **values: Any) -> None:
    """Refuse the page unless the role may use it (AccessDenied: the view answers 403 or
    404 and the refusal is audited)."""
    if not allowed:
        raise AccessDenied(message, **values)
