"""Browser tests: a real server process on a demo county of its own, driven by Debian's chromium.

The server runs `guanai demo` data on a temporary SQLite file, so these tests never touch the
pytest database (and the append-only audit table needs no flushing).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from guanai.synth.demo import TOTP_STEP, demo_totp_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "Demo-pass-2026"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (scripts/sysdeps.sh test installs it)")
    var = tmp_path_factory.mktemp("e2e")
    env = os.environ | {
        "GUANAI_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var}/demo.sqlite3",
        "GUANAI_DEMO_PASSWORD": DEMO_PASSWORD,
        "DJANGO_SETTINGS_MODULE": "guanai.settings",
    }
    manage = [sys.executable, "-m", "guanai"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "demo", "--children", "400"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        # `serve`: runserver with a task worker beside it, so queued imports and reports run.
        [*manage, "serve", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise RuntimeError("the demo server did not start")
    yield {"base": base, "env": env}
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, demo_server):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=demo_server["base"]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


# The last time step whose code each demo user gave: a code is good once.
_steps_used: dict[str, int] = {}


def demo_code(username: str) -> str:
    """The code the demo authenticator (the key `guanai demo` publishes) shows, as a user would
    read it off their phone: the current one, or the next one if the current was used already
    (accepted one step early); if that too was used, wait for it."""
    now = int(time.time()) // TOTP_STEP
    step = max(now, _steps_used.get(username, -1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * TOTP_STEP - time.time() + 0.5)
    _steps_used[username] = step
    return demo_totp_code(step)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/otp/" in page.url:  # the roles that log in with a second factor
        page.fill("#id_code", demo_code(username))
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)
