from guanai.accounts.models import Role, User


def can_see_server_status(user: User) -> bool:
    """The county's system administrators (their IT staff), who run the server."""
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)
