"""The browser runtime, packaged into the built site: Pyodide, PyScript, the wheel, a memory snapshot.

Nothing here is committed or fetched from a CDN: ``scripts/setup.sh`` installs
the runtimes from ``package-lock.json`` (the version pins: ``package.json``'s
``dependencies``) and builds the roofline wheel; after every build these
modules copy and derive what the simulator and compare pages boot from.

=================  ==============================================================
module             what it puts in the site
=================  ==============================================================
``assets``         the vendored runtimes (``assets/vendor/``) and the wheel (``assets/wheels/``)
``snapshot``       the Python heap after the pages' imports (``assets/snapshot/roofline.snapshot``),
                   made under Node by ``scripts/make_snapshot.mjs``; with ``stdlib``
                   (the trimmed standard library it was made with) and ``wasm``
                   (the data segments XOR-ed out of it)
``pycache``        PyScript's own package as bytecode (``scripts/make_pycache.mjs``)
``boot``           the fetch order: the inline script (``boot-order.js``), the
                   boot module's URL (``docs/assets/javascripts/pyodide-boot.mjs``)
                   and the prefetch list the explainer pages fetch in idle time
=================  ==============================================================

Each derived file is cached under ``build/`` (``build/snapshot/``,
``build/pycache/``; the wheel in ``build/wheel/``) and remade only when one of
its inputs changes.
"""

from __future__ import annotations

from pathlib import Path

from .assets import copy_runtime
from .boot import write_prefetch_list
from .pycache import write_pycache
from .snapshot import write_snapshot

__all__ = ["STEPS", "package"]

#: The runtime's steps, in order: the files first (the snapshot is made for
#: the wheel the site serves), then what is derived from them; the prefetch
#: list last, since it names the bytecode only when that step made it.
STEPS = (copy_runtime, write_snapshot, write_pycache, write_prefetch_list)


def package(site_dir: str | Path) -> None:
    """Put the browser runtime into the built site at ``site_dir``: each of :data:`STEPS`, in order."""
    for step in STEPS:
        step(site_dir)
