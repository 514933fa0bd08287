"""The one validator for named numbers, and the rule that no module borrows another's private name."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

from roofline.checks import check_number, check_whole_number

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (0, {}, "x must be > 0 bytes, got 0"),
        (-1.5, {"minimum": -1, "inclusive": True}, "x must be >= -1 bytes, got -1.5"),
        (math.nan, {}, "x must be a finite number of bytes, got nan"),
        (math.inf, {}, "x must be a finite number of bytes, got inf"),
        (10**400, {}, "x must be a finite number of bytes, got an integer too large for a float"),
        ("3", {}, "x must be a number of bytes, got '3'"),
        (True, {}, "x must be a number of bytes, got True"),
        (None, {}, "x must be a number of bytes, got None"),
    ],
)
def test_a_bad_number_is_refused_naming_it_its_value_and_unit(value: object, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_number("x", value, "bytes", **kwargs)
    assert str(caught.value) == message


def test_a_good_number_comes_back_as_a_float() -> None:
    assert check_number("x", 3, "bytes") == 3.0
    assert isinstance(check_number("x", 3, "bytes"), float)
    assert check_number("x", 0, "bytes", inclusive=True) == 0.0


@pytest.mark.parametrize("value", [0, 2.5, True, "2", None, -3])
def test_a_count_must_be_a_whole_number(value: object) -> None:
    with pytest.raises(ValueError, match=f"n must be a whole number >= 1, got {value!r}"):
        check_whole_number("n", value)
    assert check_whole_number("n", 0, minimum=0) == 0


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(SRC)}: from {node.module} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_module_imports_a_private_name_from_another() -> None:
    found = [line for path in sorted(SRC.rglob("*.py")) for line in _private_imports(path)]
    assert found == []


def test_the_model_side_has_no_private_number_checker_of_its_own() -> None:
    # One validator: a module-level helper that raises "must be" for numbers is a second one.
    for path in _model_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert not helpers & {"_check", "_positive", "_finite"}, path


# Each public function name means one thing: the article's B* (of Params) is model.crossover_batch,
# a deployment's (bisected when the MoE read bends T_memory) deployment.deployment_crossover_batch.
SAME_NAME_ON_PURPOSE: set[str] = set()


def test_no_public_function_is_defined_twice_in_the_model_modules() -> None:
    modules = _model_modules()
    seen: dict[str, list[str]] = {}
    for path in modules:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                seen.setdefault(node.name, []).append(path.stem)
    twice = {name: where for name, where in seen.items() if len(where) > 1 and name not in SAME_NAME_ON_PURPOSE}
    assert twice == {}


def _model_modules() -> list[Path]:
    """Every module of the model side: all of ``roofline`` but the view (``roofline.web``)."""
    core = SRC / "roofline"
    found = sorted(p for p in core.rglob("*.py") if "web" not in p.relative_to(core).parts[:-1])
    assert len(found) > 20 and core / "deployment" / "lines.py" in found
    return found
