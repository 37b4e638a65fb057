"""A larger fuzz round: malformed requests at every API operation and every page; counts 5xx.

    .venv/bin/python bench/fuzz_requests.py                      # SQLite in a temporary file
    .venv/bin/python bench/fuzz_requests.py --examples 200 --seed 7
    scripts/with-postgres.sh .venv/bin/python bench/fuzz_requests.py

The same targets and strategies as the fuzz test (guanai/testing/fuzz.py): each page is read
as the user who owns the objects in its URL, and its form, filled as the page fills it, is posted
with a few values replaced by malformed ones; each API operation gets malformed query strings
and JSON bodies (from the valid body of the jurisdiction probe), and every other method. Prints
the number of requests, the answers by status class, and each 5xx (target, query, body).
Target: 0 answers 5xx.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="requests per page or operation")
    parser.add_argument("--other-methods", type=int, default=5, help="per wrong method of a route")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    tmpdir = Path(tempfile.mkdtemp(prefix="guanai-bench-fuzz-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmpdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanai.settings")
    os.environ["GUANAI_VAR_DIR"] = str(tmpdir / "var")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from hypothesis import HealthCheck, given, seed
    from hypothesis import settings as hypothesis_settings

    from guanai.accounts.tokens import token_create
    from guanai.testing import fuzz
    from guanai.testing.factories import child_build, place_build, standard_users

    setup_test_environment()  # the test client's host, an in-memory mail outbox
    settings.MEDIA_ROOT = str(tmpdir / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)  # a new database: the SQLite file, or with-postgres's
    place = place_build()
    users = standard_users(place)
    children = {
        "a": child_build(place.village_a, "张小明"),
        "b": child_build(place.village_b, "李小红", sex="F", birth=date(2012, 7, 1)),
        "c": child_build(place.village_c, "王小刚"),
    }
    client = Client(raise_request_exception=False)
    everything = fuzz.targets(client, users, children)
    keys = {name: token_create(actor=None, user=users[name], name="模糊测试")[1] for name in users}
    statuses: Counter[str] = Counter()
    failures: list[str] = []

    def throw_at(target: fuzz.Target, examples: int) -> None:
        @seed(args.seed)
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(fuzz.requests(target))
        def throw(drawn):
            query, body = drawn
            if not target.is_api:
                client.force_login(users[target.username])
            response = fuzz.send(client, keys[target.username], target, query, body)
            statuses[f"{response.status_code // 100}xx"] += 1
            if response.status_code >= 500:
                failures.append(
                    f"{response.status_code} {target.method.upper()} {target.url} ({target.name})"
                    f" ?{query[:200]} {str(body)[:300]}"
                )

        throw()

    started = time.perf_counter()
    for target in everything:
        own = not target.is_api or target.baseline or target.params or target.method == "get"
        throw_at(target, args.examples if own else args.other_methods)
    elapsed = time.perf_counter() - started

    total = sum(statuses.values())
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"targets: {len(everything)} ({sum(t.is_api for t in everything)} API)")
    print(f"requests: {total} in {elapsed:.0f} s")
    print("answers: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print(f"5xx: {len(failures)}")
    for failure in failures[:30]:
        print("  " + failure)
    shutil.rmtree(tmpdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
