"""Build-time adapter between mkdocs-macros and the roofline core.

mkdocs-macros loads this package (``module_name: src/roofline_site`` in
mkdocs.yml). It only registers macros and copies runtime files; every number
comes from :mod:`roofline` and every format from :mod:`roofline.units`. It is
not part of the wheel the browser loads.
"""

from __future__ import annotations

from . import boot, compare, deployment, explainer, figures, frontier, hardware, macros, serving, speed, widget
from .assets import copy_runtime
from .pycache import write_pycache
from .snapshot import write_snapshot

#: Modules whose ``MACROS`` (and optional ``PAGE_MACROS``, which receive ``env``
#: first) are registered; one module per topic keeps each page's macros together.
MACRO_MODULES = (macros, figures, speed, widget, compare, explainer, deployment, hardware, frontier, serving)


def define_env(env) -> None:  # type: ignore[no-untyped-def]
    """Register every macro with mkdocs-macros."""
    for module in MACRO_MODULES:
        macros.register(env, module.MACROS, getattr(module, "PAGE_MACROS", {}))


def on_post_build(env) -> None:  # type: ignore[no-untyped-def]
    """Copy the runtimes, the wheel, the Python snapshot and PyScript's bytecode in, pre-render the
    simulator's states (gzip copies come last, from the hook compress.py)."""
    site = env.conf["site_dir"]
    copy_runtime(site)
    write_snapshot(site)
    write_pycache(site)
    boot.write_prefetch_list(site)
    widget.write_prerender(site)
