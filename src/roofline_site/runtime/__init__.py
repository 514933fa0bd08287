"""The browser runtime, packaged into the built site: Pyodide, PyScript, the wheel, a memory snapshot.

Nothing here is committed or fetched from a CDN: ``scripts/setup.sh`` installs
the runtimes from ``package-lock.json`` (the version pins: ``package.json``'s
``dependencies``). :func:`build_wheel` builds the roofline wheel from ``src/``;
the site build calls it before any page renders (the roofline plugin's
``on_pre_build``: the simulator's and compare page's markup names the wheel's
SHA-256), and so does setup. After every build :data:`STEPS` copy and derive
what the simulator and compare pages boot from.

=================  ==============================================================
module             what it puts in the site
=================  ==============================================================
``assets``         the vendored runtimes (``assets/vendor/``) and the wheel (``assets/wheels/``;
                   :func:`build_wheel` builds it, ``assets.wheel_path`` only finds it)
``snapshot``       the Python heap after the pages' imports (``assets/snapshot/roofline.snapshot``),
                   made under Node by ``scripts/make_snapshot.mjs``; with ``stdlib``
                   (the trimmed standard library it was made with) and ``wasm``
                   (the data segments XOR-ed out of it)
``pycache``        PyScript's own package as bytecode (``scripts/make_pycache.mjs``;
                   :func:`compile_pycache` makes it before the pages render)
``boot``           the fetch order: the inline script (``boot-order.js``), the
                   boot module's URL (``docs/assets/javascripts/pyodide-boot.mjs``)
                   and the prefetch list the explainer pages fetch in idle time
=================  ==============================================================

Each derived file is kept under ``build/`` (the wheel in ``build/wheel/``,
``build/snapshot/``, ``build/pycache/``) with the key of its inputs beside it,
and remade only when one of them changes (:mod:`roofline_site.buildcache`,
the one rule for every build cache).
"""

from __future__ import annotations

from pathlib import Path

from .assets import build_wheel, copy_runtime
from .boot import write_prefetch_list
from .pycache import compile_pycache, write_pycache
from .snapshot import write_snapshot

__all__ = ["STEPS", "build_wheel", "compile_pycache", "package"]

#: The runtime's steps after the pages are written, in order: the files first
#: (the snapshot is made for the wheel the site serves, which
#: :func:`build_wheel` built before the pages rendered), then what is derived
#: from them; the prefetch list last, since it names the bytecode only when
#: that step made it.
STEPS = (copy_runtime, write_snapshot, write_pycache, write_prefetch_list)


def package(site_dir: str | Path) -> None:
    """Put the browser runtime into the built site at ``site_dir``: each of :data:`STEPS`, in order."""
    for step in STEPS:
        step(site_dir)
