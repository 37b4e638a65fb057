import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 with production costs takes seconds for the nine standard users of each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
