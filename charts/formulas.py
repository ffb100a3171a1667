"""Arithmetic over figure ids, for derived rows: ``100 * flour_exports / ag_exports``.

Only numbers, figure ids, + - * / and parentheses are allowed; nothing is executed.
"""
from __future__ import annotations

import ast
import operator
from collections.abc import Mapping

_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class FormulaError(ValueError):
    pass


def names(formula: str) -> set[str]:
    """The figure ids a formula uses."""
    return {node.id for node in ast.walk(_parse(formula)) if isinstance(node, ast.Name)}


def evaluate(formula: str, values: Mapping[str, float]) -> float:
    return _eval(_parse(formula).body, values)


def _parse(formula: str) -> ast.Expression:
    try:
        return ast.parse(formula, mode="eval")
    except SyntaxError:
        raise FormulaError(f"formula {formula!r} is not valid arithmetic") from None


def _eval(node: ast.AST, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise FormulaError(f"formula uses {node.id!r}, which is not a figure id")
        return float(values[node.id])
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Div) and right == 0:
            raise FormulaError("formula divides by zero")
        return _OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, values)
    raise FormulaError(f"formula may use only numbers, figure ids, + - * / and parentheses, not {ast.unparse(node)!r}")
