import json

import pytest

from guanai.accounts.tokens import token_create

BASE = "/api/v1"


class ApiCaller:
    """Calls the API as a user, through a token of theirs (one per user, made on first use)."""

    def __init__(self, client):
        self.client = client
        self.keys: dict[int, str] = {}

    def key_for(self, user) -> str:
        if user.pk not in self.keys:
            self.keys[user.pk] = token_create(actor=None, user=user, name="测试")[1]
        return self.keys[user.pk]

    def __call__(self, user, method: str, path: str, body=None, **extra):
        if user is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.key_for(user)}"
        return self.client.generic(
            method.upper(),
            BASE + path,
            json.dumps(body, default=str) if body is not None else "",
            content_type="application/json",
            **extra,
        )


@pytest.fixture
def call(client):
    return ApiCaller(client)
