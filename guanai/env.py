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


# Production ------------------------------------------------------------------------------------

# What a production start must be given, never defaulted: a key of its own (the generated file
# under var/ is for one developer's machine), the host names it answers to, and its database
# (no silent SQLite beside the code).
PRODUCTION_REQUIRED = {
    "GUANAI_SECRET_KEY": ("会话与令牌的签名密钥", "the key that signs sessions and tokens"),
    "GUANAI_ALLOWED_HOSTS": (
        "本系统的域名或地址(逗号分隔)",
        "the host names it serves, comma-separated",
    ),
    "DATABASE_URL": (
        "数据库地址,如 postgres://用户@主机/库名",
        "the database, e.g. postgres://user@host/name",
    ),
}


def production_problems(environ: dict[str, str] | None = None) -> list[str]:
    """What keeps a production start from going ahead, each in Chinese and English."""
    environ = dict(os.environ if environ is None else environ)
    problems = [
        f"缺少环境变量 {name}({zh}) / {name} is not set ({en})"
        for name, (zh, en) in PRODUCTION_REQUIRED.items()
        if not environ.get(name, "").strip()
    ]
    key = environ.get("GUANAI_SECRET_KEY", "").strip()
    if key and (len(key) < 50 or len(set(key)) < 5):
        problems.append(
            "GUANAI_SECRET_KEY 太短:至少 50 个字符(如 python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')/ GUANAI_SECRET_KEY is too short: 50 characters "
            "at least"
        )
    if environ.get("GUANAI_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        problems.append("生产环境不能开启 GUANAI_DEBUG / GUANAI_DEBUG must be off in production")
    return problems


def production_refusal(problems: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return (
        f"生产环境拒绝启动 / production start refused:\n{lines}\n"
        "见 docs/deploy.md / see docs/deploy.md"
    )


def production_check() -> None:
    """Raise ImproperlyConfigured (at settings import) when a production start lacks settings."""
    problems = production_problems()
    if problems:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(production_refusal(problems))
