"""The runtimes the site serves from itself, and the roofline wheel.

``scripts/setup.sh`` fetches the runtimes (``npm ci`` from package-lock.json);
:func:`build_wheel` builds the wheel from ``src/``, once per change of its
sources (setup and the site build call it), and :func:`wheel_path` only finds
it. This module copies both into the built site after every build, so
nothing is committed and nothing comes from a CDN.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from ..buildcache import cached, inputs_key, is_fresh

ROOT = Path(__file__).resolve().parents[3]
NODE_MODULES = ROOT / "node_modules"
#: The folder :func:`build_wheel` builds the wheel into (its key beside it, :mod:`roofline_site.buildcache`).
WHEEL_DIR = ROOT / "build" / "wheel"
#: What the wheel is made of: the core's files, the project file, and the
#: README (the wheel's METADATA carries it as the package's description).
WHEEL_INPUTS = (ROOT / "src" / "roofline", ROOT / "pyproject.toml", ROOT / "README.md")
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


def _wheel_key() -> str:
    return inputs_key(*WHEEL_INPUTS)


def build_wheel() -> Path:
    """Build the roofline wheel into ``build/wheel/`` unless the one there was built from :data:`WHEEL_INPUTS` as they are; returns it.

    The site build runs this before any page renders (the roofline plugin's
    ``on_pre_build``: the pages name the wheel's SHA-256), and so does
    ``scripts/setup.sh``; everything else only reads the wheel (:func:`wheel_path`).
    """
    cached(WHEEL_DIR, _wheel_key(), _build_into)
    return wheel_path()


def _build_into(folder: Path) -> None:
    # setuptools copies sources into build/lib and never prunes it: a module
    # removed or moved since the last build would otherwise ship again.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
    )


def wheel_path() -> Path:
    """The roofline wheel that :func:`build_wheel` built from the sources as they are now; builds nothing.

    Raises:
        SetupMissing: if there is no wheel, or it was built from other sources.
    """
    if not is_fresh(WHEEL_DIR, _wheel_key()):
        raise SetupMissing(
            f"the roofline wheel in {WHEEL_DIR} is missing or was built from other sources than "
            "src/roofline, pyproject.toml and README.md are now: the site build makes it before its pages "
            "render (roofline_site.runtime.build_wheel), or run scripts/setup.sh"
        )
    (wheel,) = WHEEL_DIR.glob("roofline-*-py3-none-any.whl")
    return wheel


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
