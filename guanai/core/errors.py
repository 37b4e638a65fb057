class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user as it is (Chinese)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AccessDenied(DomainError):
    """The user may not see or change this object (views turn it into 404 or 403)."""


class NotForRole(AccessDenied):
    """The user sees the file but their role may not see this part of it: answered 403.

    Not 404: the file is in the user's view, so saying the part exists tells them nothing new.
    """


def form_error(form, error: DomainError) -> None:
    """Show a service's refusal on the form: beside its field when the form has it."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def require(allowed: bool, message: str) -> None:
    """Refuse the page unless the role may use it (AccessDenied: the view answers 403 or
    404 and the refusal is audited)."""
    if not allowed:
        raise AccessDenied(message)
