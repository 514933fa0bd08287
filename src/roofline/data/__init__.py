"""Published tables the model is checked against, as JSON: one file per source in ``published/``.

One copy: :mod:`roofline.calibration` loads every file, and
:mod:`roofline.presets.published` reads DeepSeek's production figures from
``published/deepseek-v3-production-h800.json``. The tables stay out of the
wheel (``pyproject.toml``'s package data is only the record tables, the
``*.toml`` files of :mod:`roofline.tables`): neither the CLI nor the browser
reads them, and the wheel is what the simulator's snapshot holds. The site
build, the fit (``scripts/fit_serving.py``) and the tests run from the
source tree, where :func:`published_directory` finds them.
"""

from __future__ import annotations

import os

from ..tables import beside

__all__ = ["published_directory"]


def published_directory() -> str:
    """The folder of published JSON tables (``src/roofline/data/published``), as a path string.

    Found beside this module by :func:`roofline.tables.beside`, the rule the
    record tables follow (no ``importlib.resources`` or ``pathlib``: the
    presets reach this module, and the simulator's snapshot holds every module
    they can import).

    Raises:
        FileNotFoundError: in an installed wheel, which ships without them.
    """
    folder = beside(__file__, "published")
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"{folder}: the published tables ship only with the source tree (src/roofline/data/published), not the wheel"
        )
    return folder
