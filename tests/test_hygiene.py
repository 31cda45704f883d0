"""The source stays small enough to read: no file over 400 lines and no
function over 60, not counting data literals (a table of values assigned or
returned whole) or Alembic's migrations; and no comment or docstring points
at the issue that delivered the code ("issue N") instead of saying why.

Files and functions over the limits when this test was written are listed
below with the size they had. A listed size may only shrink, and an entry
whose file or function is back within the limit must be deleted, so that it
cannot come back (tests/source.py: only_shrinks). The lead empties the lists."""

from __future__ import annotations

import ast
import re

from tests.source import PRODUCT, ROOT, name_of, only_shrinks, sources, tree_of

# Everything of ours that is Python: the product, its tests, the scripts and the benchmark.
EVERYWHERE = (*PRODUCT, "tests", "scripts", "bench")
MOST_LINES_IN_A_FILE = 400
MOST_LINES_IN_A_FUNCTION = 60

# Files over 400 lines (data literals aside) when this test was written, and
# their size then (they are being split, and the lead empties this list).
LONG_FILES_TODAY: dict[str, int] = {}

# Functions over 60 lines (data literals aside), "file::qualified name", and their size then.
LONG_FUNCTIONS_TODAY: dict[str, int] = {}

# Docstrings and comments naming an issue, per file, when this test was written.
ISSUE_REFERENCES_TODAY: dict[str, int] = {}

ISSUE = re.compile(r"\bissues?\s*#?\s*\d", re.IGNORECASE)


def is_data(node: ast.AST) -> bool:
    """A value written out: constants, names, and containers and calls of them
    (a Kind(...) declaration, a dict of field definitions), no logic."""
    match node:
        case ast.Constant() | ast.Name() | ast.Attribute():
            return True
        case ast.Tuple() | ast.List() | ast.Set():
            return all(is_data(e) for e in node.elts)
        case ast.Dict():
            return all(k is None or is_data(k) for k in node.keys) and all(
                is_data(v) for v in node.values
            )
        case ast.Starred() | ast.keyword():
            return is_data(node.value)
        case ast.UnaryOp():
            return is_data(node.operand)
        case ast.BinOp():
            return is_data(node.left) and is_data(node.right)
        case ast.Call():
            return is_data(node.func) and all(map(is_data, [*node.args, *node.keywords]))
    return False


def data_lines(statements: list[ast.stmt]) -> int:
    """The lines of the statements that assign or return a data literal whole:
    a container written out, or a text."""
    return sum(
        s.end_lineno - s.lineno + 1
        for s in statements
        if isinstance(s, ast.Assign | ast.AnnAssign | ast.Return)
        and isinstance(s.value, ast.Dict | ast.List | ast.Tuple | ast.Set | ast.Constant)
        and is_data(s.value)
    )


def long_files() -> dict[str, int]:
    found = {}
    for path in sources(*EVERYWHERE):
        lines = len(path.read_text().splitlines()) - data_lines(tree_of(path).body)
        if lines > MOST_LINES_IN_A_FILE:
            found[name_of(path)] = lines
    return found


def functions(node: ast.AST, prefix: str = ""):
    """(qualified name, function) for every function, methods and nested ones too."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{child.name}"
            if not isinstance(child, ast.ClassDef):
                yield name, child
            yield from functions(child, f"{name}.")
        else:
            yield from functions(child, prefix)


def long_functions() -> dict[str, int]:
    found = {}
    for path in sources(*EVERYWHERE):
        for name, function in functions(tree_of(path)):
            first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
            lines = function.end_lineno - first + 1 - data_lines(function.body)
            if lines > MOST_LINES_IN_A_FUNCTION:
                found[f"{name_of(path)}::{name}"] = lines
    return found


def issue_references() -> dict[str, int]:
    found = {}
    for path in sources(*PRODUCT, "tests"):
        count = len(ISSUE.findall(path.read_text()))
        if count:
            found[name_of(path)] = count
    return found


def test_no_source_file_is_over_400_lines_but_data_and_migrations():
    only_shrinks(long_files(), LONG_FILES_TODAY, "split it where its ideas part")


def test_no_function_is_over_60_lines_but_data():
    only_shrinks(long_functions(), LONG_FUNCTIONS_TODAY, "name its steps as functions")


def test_no_comment_or_docstring_names_an_issue():
    """A reader needs the reason, not the ticket: say why, not which issue."""
    only_shrinks(issue_references(), ISSUE_REFERENCES_TODAY, "say why instead of naming the issue")


def test_the_limits_count_data_literals_out_and_code_in():
    source = "X = {\n" + "".join(f"    'k{n}': {n},\n" for n in range(500)) + "}\n"
    source += "def f():\n" + "".join(f"    y = {n} + len([])\n" for n in range(70))
    tree = ast.parse(source)
    assert data_lines(tree.body) == 502
    [(_, function)] = list(functions(tree))
    assert data_lines(function.body) == 0
    assert ROOT.joinpath("tests", "test_hygiene.py").exists()
