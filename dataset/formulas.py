"""Arithmetic over figure ids, for derived rows: ``100 * flour_exports / ag_exports``.

Only numbers, figure ids, + - * / and parentheses are allowed; nothing is executed. The
formula's shape is checked here (so the error says what is not allowed), and it is evaluated
by simpleeval with only those four operators and negation, no functions and no other names.
Derived rows may build on other derived rows, so the ids form a graph; :func:`cycles` and
:func:`bases` walk it, because a value defined (however indirectly) from itself rests on no
source at all.
"""
from __future__ import annotations

import ast
import math
import operator
from collections.abc import Mapping

from simpleeval import NameNotDefined, SimpleEval


def _divide(left: float, right: float) -> float:
    if right == 0:
        raise FormulaError("formula divides by zero")
    return left / right


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: _divide, ast.USub: operator.neg}


class FormulaError(ValueError):
    pass


def names(formula: str) -> set[str]:
    """The figure ids a formula uses."""
    return {node.id for node in ast.walk(_parse(formula)) if isinstance(node, ast.Name)}


def evaluate(formula: str, values: Mapping[str, float]) -> float:
    """The formula's value; raise FormulaError rather than return inf or NaN, which no page can print."""
    tree = _parse(formula)
    _check(tree.body, values)
    evaluator = SimpleEval(operators=_OPERATORS, functions={}, names={name: float(value) for name, value in values.items()})
    try:
        result = float(evaluator.eval(formula, previously_parsed=tree.body))
    except NameNotDefined as exc:  # _check names every unknown id first; kept for safety
        raise FormulaError(f"formula uses {exc.name!r}, which is not a figure id") from None
    except OverflowError:
        raise FormulaError("formula uses a number too large to compute with") from None
    if not math.isfinite(result):
        raise FormulaError(f"formula gives {result}, not a finite number")
    return result


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Each loop in ``graph`` (id -> ids its formula uses) as a chain that ends where it starts.

    ``[["a", "a"], ["b", "c", "b"]]``: one chain per loop found, visiting ids in the mapping's
    order so the first id of each chain is the first row of the loop a maintainer meets.
    """
    found: list[list[str]] = []
    state: dict[str, str] = {}  # "open" while on the path being walked, "done" after

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        path.append(node)
        for used in sorted(graph.get(node, ())):
            if state.get(used) == "open":
                found.append(path[path.index(used):] + [used])
            elif used in graph and used not in state:
                visit(used, path)
        path.pop()
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [])
    return found


def bases(node: str, graph: Mapping[str, set[str]]) -> set[str]:
    """The ids outside ``graph`` (rows with no formula) that ``node`` rests on, however deep."""
    seen, stack, found = set(), [node], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in graph:
            stack.extend(graph[current])
        else:
            found.add(current)
    return found


def reaches(node: str, targets: set[str], graph: Mapping[str, set[str]]) -> bool:
    """Whether ``node`` uses any of ``targets``, directly or through other formulas."""
    seen, stack = set(), [node]
    while stack:
        current = stack.pop()
        if current in targets:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(graph.get(current, ()))
    return False


def _parse(formula: str) -> ast.Expression:
    try:
        return ast.parse(formula, mode="eval")
    except SyntaxError:
        raise FormulaError(f"formula {formula!r} is not valid arithmetic") from None


def _check(node: ast.AST, values: Mapping[str, float]) -> None:
    """Raise FormulaError unless the formula is numbers and known ids joined by + - * / ( )."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        if isinstance(node.value, int) and abs(node.value) > 1e308:
            raise FormulaError("formula uses a number too large to compute with")
        return
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise FormulaError(f"formula uses {node.id!r}, which is not a figure id")
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, values)
        _check(node.right, values)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand, values)
        return
    raise FormulaError(f"formula may use only numbers, figure ids, + - * / and parentheses, not {ast.unparse(node)!r}")


def graph(formula_by_id: Mapping[str, str]) -> dict[str, set[str]]:
    """id -> the ids its formula uses, for every formula that parses (the others are reported elsewhere)."""
    found = {}
    for figure_id, formula in formula_by_id.items():
        try:
            found[figure_id] = names(formula)
        except FormulaError:
            continue
    return found
