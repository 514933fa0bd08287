"""The model does not know the view: nothing in ``roofline`` outside ``roofline.web`` (every subpackage included) imports it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "src" / "roofline"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return names


def _absolute(name: str, package: str) -> str:
    """``name`` as an absolute module name, resolving a leading run of dots against ``package``."""
    level = len(name) - len(name.lstrip("."))
    if not level:
        return name
    base = package.split(".")[: len(package.split(".")) - level + 1]
    return ".".join([*base, name[level:]] if name[level:] else base)


def _model_modules() -> list[Path]:
    """Every module of the model: each subpackage (``presets/``, ``deployment/``, ...) included, ``web/`` not."""
    return sorted(p for p in CORE.rglob("*.py") if "web" not in p.relative_to(CORE).parts)


def test_every_subpackage_of_the_model_is_covered() -> None:
    covered = {p.parent.relative_to(CORE).as_posix() for p in _model_modules()}
    subpackages = {p.parent.relative_to(CORE).as_posix() for p in CORE.rglob("__init__.py")} - {"web"}
    assert subpackages <= covered and {"presets", "deployment"} <= covered


def test_no_model_module_imports_the_view() -> None:
    for path in _model_modules():
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        package = ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")
        found = sorted(
            name
            for name in _imports(path)
            if _absolute(name, package) == "roofline.web" or _absolute(name, package).startswith("roofline.web.")
        )
        assert found == [], f"{path.relative_to(CORE)} imports {found}"


def test_importing_every_model_module_loads_no_view() -> None:
    names = []
    for path in _model_modules():
        if path.name == "__main__.py":  # runs the CLI when imported
            continue
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    code = (
        f"import importlib, sys\nfor name in {sorted(names)!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('roofline.web')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
