"""`guanai serve`: runserver with a task worker beside it, stopped when the server ends."""

import pytest
from django.core.management import call_command

from guanai.core.management.commands import serve


class FakeWorker:
    def __init__(self, command, **kwargs):
        self.command = command
        self.pid = 4242
        self.terminated = False
        started.append(self)

    def poll(self):
        return 0 if self.terminated else None

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


started: list[FakeWorker] = []


@pytest.fixture
def fake(monkeypatch):
    started.clear()
    calls = []
    monkeypatch.setattr(serve.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: calls.append((a, kw)))
    return calls


def test_it_starts_the_worker_then_the_server_and_stops_the_worker(fake, monkeypatch):
    monkeypatch.delenv("RUN_MAIN", raising=False)
    call_command("serve", "127.0.0.1:8123", "--noreload")
    assert fake == [(("runserver", "127.0.0.1:8123"), {"use_reloader": False})]
    (worker,) = started
    assert worker.command[2:5] == ["guanai", "worker", "--no-reload"]
    assert worker.terminated


def test_the_worker_is_stopped_when_the_server_fails(monkeypatch):
    started.clear()
    monkeypatch.delenv("RUN_MAIN", raising=False)
    monkeypatch.setattr(serve.subprocess, "Popen", FakeWorker)

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(serve, "call_command", broken)
    with pytest.raises(KeyboardInterrupt):
        call_command("serve", "--noreload")
    assert started[0].terminated


def test_a_reloaded_server_starts_no_second_worker(fake, monkeypatch):
    monkeypatch.setenv("RUN_MAIN", "true")
    call_command("serve")
    assert started == [] and fake[0][1] == {"use_reloader": True}
