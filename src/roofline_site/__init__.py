"""Build-time adapter between mkdocs-macros and the roofline core.

mkdocs-macros loads this package (``module_name: src/roofline_site`` in
mkdocs.yml). It only registers macros and copies runtime files; every number
comes from :mod:`roofline` and every format from :mod:`roofline.units`. It is
not part of the wheel the browser loads.
"""

from __future__ import annotations

from .assets import copy_runtime
from .macros import register


def define_env(env) -> None:  # type: ignore[no-untyped-def]
    """Register every macro with mkdocs-macros."""
    register(env)


def on_post_build(env) -> None:  # type: ignore[no-untyped-def]
    """Copy the vendored runtimes and the roofline wheel into the built site."""
    copy_runtime(env.conf["site_dir"])
