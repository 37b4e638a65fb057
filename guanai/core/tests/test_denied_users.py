"""Every app with pages tests one of them as a user who must be refused (issue 13). The
jurisdiction probe (test_jurisdiction_probe.py) walks every URL as outsiders of a sibling
village and township and as a carer; each app's own page tests show the refusal where the
page's own rule is (a role, an assignment, a department), beside what the page does."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ASKS_PAGES = re.compile(r"\.(get|post)\(\s*(reverse\(|f?[\"']/)")
REFUSED = re.compile(r"\b(403|404)\b|status_code in \(403, 404\)")


def apps_with_pages() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "guanai").glob("*/urls.py"))


def refusing_tests(app: Path) -> list[str]:
    """The app's test functions that ask a page and assert a refusal (403 or 404)."""
    found = []
    for path in sorted(app.glob("tests/test_*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                source = ast.get_source_segment(text, node) or ""
                if ASKS_PAGES.search(source) and REFUSED.search(source):
                    found.append(f"{path.name}::{node.name}")
    return found


def test_every_app_with_pages_tests_a_refused_user():
    apps = apps_with_pages()
    assert len(apps) >= 8  # accounts, audit, care, ingest, notices, protection, registry, ...
    missing = [app.name for app in apps if not refusing_tests(app)]
    assert missing == []
