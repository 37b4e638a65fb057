"""Small helpers that read settings from the environment with safe development defaults."""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(var_dir: Path) -> str:
    """GUANAI_SECRET_KEY, or a key generated once per machine under var/ (never committed)."""
    key = os.environ.get("GUANAI_SECRET_KEY")
    if key:
        return key
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def database_from_url(url: str, base_dir: Path) -> dict:
    """DATABASES entry from sqlite:///path or postgres://user:pass@host:port/name?host=/socket."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        path = Path(
            unquote(parsed.netloc + parsed.path)[1:] if not parsed.netloc else parsed.netloc
        )
        name = path if path.is_absolute() else base_dir / path
        name.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            # A transaction takes the write lock when it begins (IMMEDIATE) and waits up to
            # `timeout` seconds for it: a deferred one that read first and wrote second failed at
            # once with "database is locked" when another save got in between, a 500 where
            # PostgreSQL waits and then answers the stale version's 409.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        query = parse_qs(parsed.query)
        host = query.get("host", [parsed.hostname or ""])[0]
        port = query.get("port", [str(parsed.port or "")])[0]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "guanai",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": host,
            "PORT": port,
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"DATABASE_URL 的数据库类型不受支持: {parsed.scheme}")
