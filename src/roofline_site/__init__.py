"""Build-time adapter between mkdocs-macros and the roofline core.

mkdocs-macros loads this package (``module_name: src/roofline_site`` in
mkdocs.yml). It only registers macros and copies runtime files; every number
comes from :mod:`roofline` and every format from :mod:`roofline.units`. It is
not part of the wheel the browser loads.
"""

from __future__ import annotations

from . import deployment, explainer, figures, frontier, hardware, macros, serving, speed, widget
from .assets import copy_runtime

#: Modules whose ``MACROS`` (and optional ``PAGE_MACROS``, which receive ``env``
#: first) are registered; one module per topic keeps each page's macros together.
MACRO_MODULES = (macros, figures, speed, widget, explainer, deployment, hardware, frontier, serving)


def define_env(env) -> None:  # type: ignore[no-untyped-def]
    """Register every macro with mkdocs-macros."""
    for module in MACRO_MODULES:
        macros.register(env, module.MACROS, getattr(module, "PAGE_MACROS", {}))


def on_post_build(env) -> None:  # type: ignore[no-untyped-def]
    """Copy the vendored runtimes and the wheel in, and pre-render the simulator's states."""
    copy_runtime(env.conf["site_dir"])
    widget.write_prerender(env.conf["site_dir"])
