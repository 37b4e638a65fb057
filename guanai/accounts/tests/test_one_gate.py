"""Every query on people and their records passes through the one gate (accounts/scoping.py).

A `Model.objects` chain on a scoped model (one that declares `scope_division_field`) outside
selectors must sit inside `scope(...)`, `scope_acting(...)`, `within(...)` or `unscoped(...)`, be a correlated
subquery (bounded by its outer, gated query: it holds an OuterRef), or create rows (whose
area the service checks with `require_division`). Test helpers and migrations are exempt.
"""

import ast
from pathlib import Path

from django.apps import apps

from guanai.accounts import scoping

ROOT = Path(__file__).resolve().parents[3]
GATES = {"scope", "scope_acting", "within", "unscoped"}
CREATES = {"create", "bulk_create"}
# Scoped, but about no one person: schools, yearly bases, and the jobs and batches whose own
# pages are scoped in their selectors (their tasks update them by id as they run).
NOT_PEOPLE = {"School", "StatisticalBase", "ImportJob", "ImportBatch", "ReportJob"}


def scoped_model_names() -> set[str]:
    scoped = {m.__name__ for m in apps.get_models() if hasattr(m, "scope_division_field")}
    assert scoped >= NOT_PEOPLE
    return scoped - NOT_PEOPLE


def exempt(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        "tests" in parts
        or "migrations" in parts
        or "e2e" in parts
        or parts[:2] == ("guanai", "testing")
        or path.name in ("selectors.py", "scoping.py", "testing.py", "conftest.py")
    )


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return None


def _chain_top(node: ast.AST, parents) -> ast.AST:
    """The whole method chain `Model.objects.filter(...).values(...)` the manager starts."""
    while node in parents and isinstance(parents[node], ast.Attribute | ast.Call):
        parent = parents[node]
        if isinstance(parent, ast.Call) and parent.func is not node:
            break
        node = parent
    return node


def _has_outer_ref(node: ast.AST) -> bool:
    return any(_call_name(n) == "OuterRef" for n in ast.walk(node))


def ungated_queries(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr in CREATES:
            continue
        if _has_outer_ref(_chain_top(node, parents)):
            continue
        up, gated = node, False
        while up in parents and not gated:
            up = parents[up]
            gated = _call_name(up) in GATES
        if not gated:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_it_finds_no_ungated_query_on_people():
    names = scoped_model_names()
    assert {"Child", "Guardian", "Household", "CareRecord", "SourceRecord"} <= names
    files = [p for p in sorted((ROOT / "guanai").rglob("*.py")) if not exempt(p)]
    assert len(files) > 50
    found = [hit for path in files for hit in ungated_queries(path, names)]
    assert found == [], "queries on people that bypass accounts/scoping.py:\n" + "\n".join(found)


def test_it_catches_a_query_that_bypasses_the_gate(tmp_path):
    module = ROOT / "guanai" / "_probe_module.py"
    module.write_text(
        "def leak(user):\n"
        "    a = scope(user, Child.objects.filter(name='x'))\n"
        "    b = Child.objects.filter(name='x').values('id')\n"
        "    c = Guardian.objects.create(name='y')\n"
        "    d = Child.objects.filter(pk=OuterRef('child_id'))\n"
        "    e = unscoped(Household.objects.all(), purpose='seed')\n",
        encoding="utf-8",
    )
    try:
        found = ungated_queries(module, scoped_model_names())
    finally:
        module.unlink()
    assert found == ["guanai/_probe_module.py:3 Child.objects"]


def test_every_unscoped_purpose_is_declared_and_used():
    used = set()
    for path in (ROOT / "guanai").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _call_name(node) in ("unscoped", "unscoped_area"):
                for keyword in node.keywords:
                    if keyword.arg == "purpose" and isinstance(keyword.value, ast.Constant):
                        used.add(keyword.value.value)
    assert used - scoping.UNSCOPED.keys() == set()
    assert scoping.UNSCOPED.keys() - used == set(), "declared but never used"
