"""`guanai serve --production`: the refusal without settings, the supervisor, a real start."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from guanai.core import supervise
from guanai.core.management.commands import serve
from guanai.env import production_problems

ROOT = Path(__file__).resolve().parents[3]
KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"
GOOD = {"GUANAI_SECRET_KEY": KEY, "GUANAI_ALLOWED_HOSTS": "guanai.example", "DATABASE_URL": "x"}


def test_a_production_start_names_every_missing_setting_in_chinese_and_english():
    problems = production_problems({"GUANAI_DEBUG": "1", "GUANAI_ALLOWED_HOSTS": " "})
    text = "\n".join(problems)
    for name in ("GUANAI_SECRET_KEY", "GUANAI_ALLOWED_HOSTS", "DATABASE_URL"):
        assert f"缺少环境变量 {name}" in text and f"{name} is not set" in text
    assert "GUANAI_DEBUG must be off" in text
    assert production_problems(GOOD) == []
    assert "too short" in production_problems(GOOD | {"GUANAI_SECRET_KEY": "short"})[0]


def test_serve_production_refuses_before_starting_anything(monkeypatch):
    for name in ("GUANAI_SECRET_KEY", "GUANAI_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/test/x.sqlite3")
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **kw: pytest.fail("started"))
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--production")
    message = str(refused.value)
    assert "生产环境拒绝启动 / production start refused" in message
    assert "GUANAI_SECRET_KEY is not set" in message and "DATABASE_URL" not in message


def test_settings_under_production_refuse_to_load_without_the_settings():
    """gunicorn started by hand with GUANAI_PRODUCTION=1: no SQLite, no generated key."""
    env = {k: v for k, v in os.environ.items() if k not in GOOD}
    env |= {"GUANAI_PRODUCTION": "1", "DJANGO_SETTINGS_MODULE": "guanai.settings"}
    code = "import django; django.setup()"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "DATABASE_URL is not set" in done.stderr


def test_check_deploy_is_clean_with_https_on(tmp_path):
    env = os.environ | GOOD | {"GUANAI_HTTPS": "1", "GUANAI_PRODUCTION": "1"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    env["GUANAI_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_web_and_task_workers_are_sized_to_the_cores():
    assert supervise.web_workers_default(2) == 5
    assert supervise.web_workers_default(64) == 17
    assert supervise.task_workers_default(1) == 1 and supervise.task_workers_default(8) == 4


# The supervisor, with small stand-in processes --------------------------------------------------

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def hup_recorder(path: Path) -> list[str]:
    code = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGHUP, lambda *a: open(sys.argv[1], 'a').write('hup\\n'))\n"
        "open(sys.argv[1] + '.ready', 'w').close()\n"  # the handler is in place
        "while True: time.sleep(0.05)\n"
    )
    return [sys.executable, "-c", code, str(path)]


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def supervisor(tmp_path):
    said: list[str] = []
    now = [1000.0]
    sup = supervise.Supervisor(
        hup_recorder(tmp_path / "hups"), [SLEEPER, SLEEPER], say=said.append, clock=lambda: now[0]
    )
    sup.said, sup.now = said, now
    sup.start()
    yield sup
    sup.stop()


def test_a_task_worker_that_dies_is_started_again_with_a_growing_pause(supervisor):
    first = supervisor.tasks[0]
    pid = first.pid
    os.kill(pid, signal.SIGKILL)
    assert wait_for(lambda: not first.running())
    assert supervisor.step()  # found dead: restart due in 1 s
    assert first.pid == pid and any("died" in line for line in supervisor.said)
    supervisor.now[0] += 1.0
    assert supervisor.step()
    assert first.running() and first.pid != pid and first.restarts == 1
    assert supervisor.tasks[1].restarts == 0  # the other one untouched
    os.kill(first.pid, signal.SIGKILL)  # dies again at once: the pause doubles
    assert wait_for(lambda: not first.running())
    supervisor.step()
    assert first.pause == 2.0 and not first.running()


def test_sighup_reloads_gunicorn_and_restarts_the_task_workers_without_pause(supervisor, tmp_path):
    pids = [child.pid for child in supervisor.tasks]
    assert wait_for(lambda: (tmp_path / "hups.ready").exists())  # before: SIGHUP would kill it
    supervisor.reload()
    assert wait_for(lambda: (tmp_path / "hups").exists())
    assert (tmp_path / "hups").read_text() == "hup\n"
    assert wait_for(lambda: not any(child.running() for child in supervisor.tasks))
    supervisor.step()
    assert all(child.running() for child in supervisor.tasks)
    assert [child.pid for child in supervisor.tasks] != pids
    assert [child.restarts for child in supervisor.tasks] == [0, 0]  # asked for, not deaths


def test_when_gunicorn_ends_the_supervisor_stops(supervisor):
    supervisor.web.process.kill()
    assert wait_for(lambda: not supervisor.web.running())
    assert not supervisor.step()


# A real production start ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.django_db
def test_production_serve_starts_serves_pages_and_hashed_static_files_and_stops(tmp_path):
    """gunicorn, one web and one task worker, on a free port; stopped with SIGTERM. On
    PostgreSQL against the test database; on SQLite against an empty file (the login page
    needs no table)."""
    port = free_port()
    env = os.environ | GOOD | {"GUANAI_VAR_DIR": str(tmp_path), "GUANAI_STATIC_COMPRESS": "0"}
    env["GUANAI_ALLOWED_HOSTS"] = "127.0.0.1"
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}?host={db['HOST']}"
            f"&port={db['PORT']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/empty.sqlite3"
    command = [
        *serve.GUANAI,
        "serve",
        "--production",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--task-workers",
        "1",
    ]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return fetch(f"{base}/accounts/login/")[0] == 200
            except OSError:
                return False

        # About 7 s on an idle machine (collectstatic 2 s, gunicorn, the first request's
        # imports); more while other work shares the cores.
        assert wait_for(up, 40), "no answer"
        status, _, body = fetch(f"{base}/accounts/login/")
        page = body.decode()
        assert status == 200 and "csrfmiddlewaretoken" in page
        css = page.split('href="/static/css/guanai.')[1].split('"')[0]
        assert css.endswith(".css") and len(css.split(".")[0]) == 12  # a hashed name
        status, headers, _ = fetch(f"{base}/static/css/guanai.{css}")
        assert status == 200 and "immutable" in headers["Cache-Control"]
        assert (tmp_path / "static" / "staticfiles.json").exists()
        assert fetch(f"{base}/healthz")[0] == 200
        status, _, body = fetch(f"{base}/readyz")
        checks = json.loads(body)["checks"]
        assert checks["database"]["ok"]
        if connection.vendor == "postgresql":  # the migrated test database; the worker beats
            # once it has started: at nice 10, later than gunicorn on a busy machine.
            assert wait_for(lambda: fetch(f"{base}/readyz")[0] == 200, 30)
        else:  # an empty file: nothing migrated, not ready
            assert status == 503 and checks["migrations"]["pending"] > 0
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "task-1 已启动" in output and "已全部停止 / all stopped" in output


def test_static_files_are_collected_again_only_when_missing_or_older_than_the_sources(tmp_path):
    assert serve.static_stale(tmp_path)  # nothing collected yet
    manifest = tmp_path / "staticfiles.json"
    manifest.write_text("{}")
    assert not serve.static_stale(tmp_path)  # written after every source file
    os.utime(manifest, (1, 1))  # 1970: every source is newer
    assert serve.static_stale(tmp_path)


def niceness_of(pid: int) -> int:
    # Field 19 of /proc/PID/stat (after the command in parentheses, which may hold spaces).
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_task_workers_yield_the_cores_to_the_web_workers(supervisor):
    own = os.nice(0)
    assert niceness_of(supervisor.web.pid) == own
    for child in supervisor.tasks:
        assert wait_for(lambda child=child: niceness_of(child.pid) == own + supervise.TASK_NICENESS)
