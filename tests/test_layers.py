"""The model does not know the view: nothing in ``roofline`` outside ``roofline.web`` imports it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


def test_no_model_module_imports_the_view() -> None:
    for path in sorted(CORE.glob("*.py")):
        found = sorted(name for name in _imports(path) if "web" in name.split(".") or name.startswith(".web"))
        assert found == [], f"{path.name} imports {found}"


def test_importing_the_model_and_cli_loads_no_view() -> None:
    code = (
        "import sys, roofline, roofline.cli, roofline.explainer, roofline.deployment, roofline.measurement; "
        "print(sorted(m for m in sys.modules if m.startswith('roofline.web')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
