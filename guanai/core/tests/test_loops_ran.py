"""A test whose every assertion sits inside a loop or an `if` passes when the loop never runs:
such a test also asserts something outside, e.g. that the loop had work (issue 13).

Loops over a literal (a list, a tuple, `range(3)`), an `if` whose every branch asserts, and
hypothesis properties (`@given`, where a guard is the property) are fine as they are.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return bool(node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys)
    return (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "range"
        and all(isinstance(a, ast.Constant) for a in node.args)
    )


def _asserts(stmts: list[ast.stmt]) -> bool:
    """Whether these statements surely assert something when they run."""
    for st in stmts:
        if isinstance(st, ast.Assert):
            return True
        if isinstance(st, ast.With | ast.Try) and _asserts(st.body):
            return True
        if isinstance(st, ast.For) and _literal(st.iter) and _asserts(st.body):
            return True
        if isinstance(st, ast.If) and st.orelse and _asserts(st.body) and _asserts(st.orelse):
            return True
    return False


def _given(fn: ast.FunctionDef) -> bool:
    return any(getattr(getattr(d, "func", d), "id", "") == "given" for d in fn.decorator_list)


def guarded_only(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith("test_"):
            continue
        if _given(fn) or not any(isinstance(n, ast.Assert) for n in ast.walk(fn)):
            continue  # no assert at all: it checks by raising (pytest.raises, a parser)
        if not _asserts(fn.body):
            found.append(f"{path.relative_to(root)}:{fn.lineno} {fn.name}")
    return found


def test_no_test_asserts_only_where_it_may_not_run():
    files = sorted((ROOT / "guanai").rglob("test_*.py"))
    assert len(files) > 50
    assert [hit for path in files for hit in guarded_only(path)] == []


def test_it_finds_a_test_that_asserts_only_in_a_loop(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "def test_a(rows):\n    for r in rows:\n        assert r\n"
        "def test_b(rows):\n    assert rows\n    for r in rows:\n        assert r\n"
        "def test_c():\n    for r in [1, 2]:\n        assert r\n",
        encoding="utf-8",
    )
    found = [hit.split(" ")[-1] for hit in guarded_only(probe, tmp_path)]
    assert found == ["test_a"]
