"""The runtimes the site serves from itself, and the roofline wheel.

``scripts/setup.sh`` fetches them (``npm ci`` from package-lock.json, and a
wheel built from ``src/``); this module copies them into the built site after
every build, so nothing is committed and nothing comes from a CDN.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NODE_MODULES = ROOT / "node_modules"
WHEEL_DIR = ROOT / "build" / "wheel"
VENDOR = "assets/vendor"
WHEELS = "assets/wheels"

# (npm package, files or folders inside it, folder under assets/vendor)
_RUNTIME: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "pyodide",
        ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"),
        "pyodide",
    ),
    ("@pyscript/core/dist", ("*.js", "*.css"), "pyscript"),
    # The basic bundle (scatter, bar, pie) is a quarter of the full one and has all we draw.
    ("plotly.js-basic-dist-min", ("plotly-basic.min.js",), "plotly"),
    ("katex/dist", ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js", "fonts"), "katex"),
)


# Served under a stable name, whichever plotly bundle is vendored.
_RENAMES = {"plotly-basic.min.js": Path("plotly.min.js")}


class SetupMissing(RuntimeError):
    """The setup step has not been run (or is out of date)."""


def python_version() -> str:
    """``major.minor`` of the vendored Pyodide's Python, from its lock file."""
    lock = NODE_MODULES / "pyodide" / "pyodide-lock.json"
    if not lock.is_file():
        raise SetupMissing(f"{lock} is missing: run scripts/setup.sh (it runs npm ci)")
    version = json.loads(lock.read_text())["info"]["python"]
    return ".".join(version.split(".")[:2])


def wheel_path() -> Path:
    """The roofline wheel built from ``src/``, rebuilt first if any source changed."""
    wheels = sorted(WHEEL_DIR.glob("roofline-*-py3-none-any.whl"))
    if not wheels or _stale(wheels[-1]):
        for old in wheels:
            old.unlink()
        # setuptools copies sources into build/lib and never prunes it: a module
        # removed or moved since the last build would otherwise ship again.
        shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(WHEEL_DIR), str(ROOT)],
            check=True,
            capture_output=True,
        )
        wheels = sorted(WHEEL_DIR.glob("roofline-*-py3-none-any.whl"))
    return wheels[-1]


def _stale(wheel: Path) -> bool:
    """True unless the wheel holds exactly the files of ``src/roofline``."""
    package = ROOT / "src"
    sources = {p.relative_to(package).as_posix(): p.read_bytes() for p in (package / "roofline").rglob("*.py")}
    with zipfile.ZipFile(wheel) as archive:
        packed = {name: archive.read(name) for name in archive.namelist() if name.startswith("roofline/")}
    return packed != sources


def copy_runtime(site_dir: str | Path) -> None:
    """Copy vendored runtimes and the wheel under ``site_dir``."""
    site = Path(site_dir)
    for package, patterns, target in _RUNTIME:
        source = NODE_MODULES / package
        if not source.is_dir():
            raise SetupMissing(f"{source} is missing: run scripts/setup.sh (it runs npm ci)")
        destination = site / VENDOR / target
        for pattern in patterns:
            matches = sorted(source.glob(pattern))
            if not matches:
                raise SetupMissing(f"{source}/{pattern} is missing: run scripts/setup.sh")
            for path in matches:
                relative = _RENAMES.get(path.name, path.relative_to(source))
                if path.is_dir():
                    shutil.copytree(path, destination / relative, dirs_exist_ok=True)
                else:
                    (destination / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination / relative)
    wheel = wheel_path()
    (site / WHEELS).mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, site / WHEELS / wheel.name)
