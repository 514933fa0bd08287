"""The constants the simulator page's JavaScript shares with Python, in one JSON-ready dict.

The build puts :func:`page_constants` into the page as a
``<script type="application/json" id="rl-constants">`` block; ``simulator.js``
reads it instead of keeping copies, so the two languages
cannot drift apart: element id prefixes, the URL's ``mode`` rule, the inputs
remembered while Python loads, the charts and the palette by role.

>>> c = page_constants()
>>> c["mode"], c["prefixes"], c["charts"]["figures"]
({'key': 'mode', 'real': 'real', 'repeated': 'last'}, {'article': 'sim', 'real': 'simr'}, 'sim-chart')
"""

from __future__ import annotations

from .article import ARTICLE
from .charts import CHARTS
from .palette import PALETTE
from .query import MODE_KEY, REPEATED
from .realistic import REALISTIC

__all__ = ["CONSTANTS_ID", "MODES", "MODE_RADIO", "mode_named", "page_constants"]

#: Both modes, the page's default first.
MODES = (ARTICLE, REALISTIC)

#: The id of the JSON block that holds :func:`page_constants`.
CONSTANTS_ID = "rl-constants"
#: The radio buttons that switch mode.
MODE_RADIO = "sim-mode"


def mode_named(name: str):  # type: ignore[no-untyped-def]
    """The mode whose ``mode`` URL value is ``name`` (the article's for anything but ``real``).

    The one lookup from a name to a mode, for the build and the browser (:mod:`roofline.web.browser`) alike.
    """
    return REALISTIC if name == REALISTIC.name else ARTICLE


def page_constants() -> dict:
    """Everything ``simulator.js`` needs from Python."""
    early = [f"[{m.slider_attribute}]" for m in MODES] + ["[data-pick]", "[data-flag]", f"input[name='{MODE_RADIO}']"]
    early.append("[data-optional]")
    return {
        "prefixes": {m.name: m.prefix for m in MODES},
        "attributes": {m.name: [m.slider_attribute, m.entry_attribute] for m in MODES},
        "mode": {"key": MODE_KEY, "real": "real", "repeated": REPEATED},
        "modeRadio": MODE_RADIO,
        # Inputs made before Python is ready are marked and replayed by Python.
        "early": ", ".join(early),
        "earlyChange": ", ".join([f"[{m.entry_attribute}]" for m in MODES] + early),
        "charts": {chart.key: chart.element for chart in CHARTS},
        "palette": PALETTE,
    }
