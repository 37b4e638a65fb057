"""/healthz and /readyz: JSON for the proxy and monitoring, no login, nothing personal."""

import json

import pytest

from guanai.core import health
from guanai.core.heartbeat import worker_beat


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"  # not made yet: the disk it will be on
    settings.READY_MIN_FREE_MB = 1
    return tmp_path


def test_healthz_answers_without_a_login_or_a_database(client):
    response = client.get("/healthz")  # no django_db mark: a query would raise
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_with_the_database_migrations_a_worker_and_disk(client, children):
    worker_beat("w-1")
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True
    assert set(body["checks"]) == {"database", "migrations", "worker", "disk"}
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert body["checks"]["disk"]["free_mb"] > 1
    text = json.dumps(body, ensure_ascii=False)
    assert children["a"].name not in text and str(health.settings.VAR_DIR) not in text


@pytest.mark.django_db
def test_readyz_answers_503_naming_what_fails(client, settings):
    settings.READY_MIN_FREE_MB = 10**12  # a disk that cannot be this free
    response = client.get("/readyz")  # and no worker beats
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["worker"] == {"ok": False} and checks["disk"]["ok"] is False
    assert checks["database"]["ok"] and checks["migrations"]["ok"]


@pytest.mark.django_db
def test_readyz_counts_pending_migrations(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)

    class Plan:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})

        def migration_plan(self, targets):
            return [("registry", "0099_new")]

    monkeypatch.setattr(health, "MigrationExecutor", Plan)
    assert health.readiness()["checks"]["migrations"] == {"ok": False, "pending": 1}
    assert health._migrated is False  # asked again next time


def test_readyz_says_when_the_database_is_down(monkeypatch):
    from django.db import DatabaseError

    class Down:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: Down())
    ready = health.readiness()
    assert ready["ok"] is False
    assert ready["checks"]["database"] == {"ok": False}
    assert ready["checks"]["migrations"] == {"ok": False}


def test_the_health_urls_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
