"""Build-time adapter between MkDocs and the roofline core; not part of the wheel the browser loads.

mkdocs-macros loads this package (``module_name: src/roofline_site`` in
mkdocs.yml) and calls :func:`define_env`; the roofline MkDocs plugin
(:mod:`.plugin`) runs the build's own steps, in its declared order. Every
number comes from :mod:`roofline` and every format from :mod:`roofline.units`.

* :mod:`.pages`: the macros of each docs page;
* :mod:`.charts`: the build-time plotly charts those pages embed;
* :mod:`.simulator`: the simulator's markup and pre-rendered states;
* :mod:`.runtime`: the browser runtime packaged into the site;
* :mod:`.serve`: the Content-Security-Policy and the precompressed copies;
* :mod:`.buildcache`: the one rule by which the build keeps what it derives
  under ``build/`` (the wheel, the snapshot, the bytecode, the compressed copies).
"""

from __future__ import annotations

from .pages import common as macros
from .pages import compare, deployment, explainer, figures, frontier, hardware, serving, speed
from .simulator import widget

#: Modules whose ``MACROS`` (and optional ``PAGE_MACROS``, which receive ``env``
#: first) are registered; one module per topic keeps each page's macros together.
MACRO_MODULES = (macros, figures, speed, widget, compare, explainer, deployment, hardware, frontier, serving)


def define_env(env) -> None:  # type: ignore[no-untyped-def]
    """Register every macro with mkdocs-macros."""
    for module in MACRO_MODULES:
        macros.register(env, module.MACROS, getattr(module, "PAGE_MACROS", {}))

