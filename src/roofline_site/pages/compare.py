"""The compare page's HTML, with the default comparison pre-rendered at build time.

Drawn as the simulator is (:mod:`roofline_site.simulator.widget`), in three stages that each show
only true numbers: the HTML of the default comparison (enough with
JavaScript off); ``compare.js`` painting the inlined snapshot of it, chart
included, while Pyodide boots; then Python (``docs/compare/main.py``, the
same wheel and memory snapshot as the simulator's) painting a fresh
snapshot after each input. Every number is :mod:`roofline.web.compare`'s.
"""

from __future__ import annotations

import html
import json

from roofline.web.compare import COMPARE, MAX_DEPLOYMENTS

from ..runtime import boot
from ..simulator.widget import relative_root

__all__ = ["MACROS", "PAGE_MACROS", "compare_widget"]


def _json_in_html(value: object) -> str:
    """``value`` as compact JSON safe inside a ``<script>`` block ("</" cannot appear there)."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def compare_widget(env) -> str:  # type: ignore[no-untyped-def]
    """The compare page's widget at the default comparison, its snapshot inlined, with its scripts."""
    if env.page is not None and not env.page.meta.get("simulator"):
        raise ValueError(f"{env.page.file.src_uri}: a page with the compare widget needs 'simulator: true' in its meta")
    root = relative_root(env)
    state, notices = COMPARE.parse("")
    snap = COMPARE.snapshot(state, notices)
    config = {
        "interpreter": boot.interpreter_url(root),
        "plugins": ["!error", "!py-editor", "!py-terminal", "!py-game", "!donkey", "!deprecations-manager"],
    }
    button = 'type="button" class="md-button rl-cmp__button"'
    parts = [
        f'<script type="py" src="main.py" config=\'{html.escape(json.dumps(config), quote=True)}\'></script>',
        boot.boot_script(root),
        f'<script type="application/json" id="cmp-prerender">{_json_in_html(snap)}</script>',
        f'<div id="compare" class="rl-cmp" data-macro-block="compare_widget" data-ready="false" data-max="{MAX_DEPLOYMENTS}">',
        '<div id="cmp-status" class="rl-sim__status" role="status">'
        '<progress class="rl-sim__progress" aria-label="Loading the Python runtime"></progress>'
        '<span id="cmp-status-text">Loading Python in your browser: the comparison below is exact for its '
        "inputs, and changes follow as soon as Python is ready.</span></div>",
        '<noscript><p class="rl-sim__status">JavaScript is off, so the inputs can\'t run. The comparison '
        "below is the default one, computed when this site was built.</p></noscript>",
        '<div id="cmp-notices" class="rl-sim__notices" role="alert" hidden></div>',
        '<fieldset class="rl-cmp__workload"><legend>The workload, shared</legend>'
        f'<div id="cmp-workload" class="rl-cmp__fields">{snap["workload"]}</div></fieldset>',
        '<div class="rl-cmp__chart-box">'
        '<div id="cmp-chart" class="rl-cmp__chart" role="img" aria-label="Chart of output tokens per second per chip '
        "against tokens per second per user for each deployment, with the batch each would run and the latency "
        'target; the tables below give its numbers"></div></div>',
        '<div class="rl-cmp__actions" role="group" aria-label="Share and export">'
        f'<button {button} id="cmp-add" data-cmp-action="add">Add a deployment</button>'
        f'<button {button} id="cmp-link" data-cmp-action="link">Copy link</button>'
        f'<button {button} id="cmp-reset" data-cmp-action="reset">Reset</button>'
        f'<button {button} id="cmp-png" data-cmp-action="png">Chart as PNG</button>'
        f'<button {button} id="cmp-csv" data-cmp-action="readouts_csv">Readouts as CSV</button>'
        f'<button {button} id="cmp-frontier-csv" data-cmp-action="frontier_csv">Frontier as CSV</button>'
        f'<button {button} id="cmp-json" data-cmp-action="json">JSON</button>'
        '<span id="cmp-said" class="rl-cmp__said" role="status"></span></div>',
        f'<div id="cmp-cards" class="rl-cmp__cards">{snap["html"]}</div>',
        "</div>",
        f'<script src="{root}assets/javascripts/charts.js"></script>',
        f'<script src="{root}assets/javascripts/compare.js"></script>',
    ]
    return "\n".join(parts)


MACROS: dict = {}
PAGE_MACROS = {"compare_widget": compare_widget}
