"""The simulator widget's HTML, and the snapshots it paints before Python runs.

The widget is drawn in three stages, each showing only true numbers:

1. the HTML below, filled with the default state's readouts (enough with
   JavaScript off);
2. ``simulator.js`` paints the pre-rendered snapshot for the page's URL,
   inlined in the page by :func:`write_prerender` (the default state and
   every simulator link the site makes), chart included, while Pyodide boots;
3. Python takes over and paints live snapshots after each input.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from roofline.web.article import ARTICLE
from roofline.web.controls import Control
from roofline.web.mode import Mode
from roofline.web.page import CONSTANTS_ID, MODE_RADIO, mode_named, page_constants
from roofline.web.query import MODE_KEY, mode_of
from roofline.web.realistic import REALISTIC

from ..runtime import boot

__all__ = [
    "LINKED_PRERENDER_FILE",
    "MACROS",
    "PAGE_MACROS",
    "SIMULATOR_PAGE",
    "relative_root",
    "simulator_widget",
    "write_prerender",
]

#: The page holding the widget, relative to the site root.
SIMULATOR_PAGE = "simulator/index.html"
#: Snapshots for the simulator links the site makes, fetched on demand.
LINKED_PRERENDER_FILE = "simulator/prerender.json"
# Replaced after the build, once every page (and so every simulator link) exists.
PRERENDER_PLACEHOLDER = "{}"


def relative_root(env) -> str:  # type: ignore[no-untyped-def]
    """``../`` once per folder between the current page and the site root."""
    url = env.page.url if env.page is not None else ""
    depth = len([part for part in url.split("/") if part])
    return "../" * depth


def _control_html(c: Control, snap: dict, mode: Mode) -> str:
    """A slider with its value, a typed entry, its range and help.

    Ids are ``PREFIX-KEY`` with the mode's prefix (``sim`` in the article's
    mode, ``simr`` in the realistic one: both panels are in the page; one is hidden).
    """
    shown = snap["controls"][c.key]
    label = html.escape(c.label)
    base = f"{mode.prefix}-{c.key}"
    edited = " rl-sim__control--edited" if shown.get("overridden") else ""
    # An optional slider (the target) has a box that switches it on and off; moving it switches it on.
    switch = (
        f'<input type="checkbox" id="{base}-on" data-optional="{c.key}"{" checked" if shown["enabled"] else ""} '
        f'aria-label="{label}: on or off"> '
        if c.off_text is not None
        else ""
    )
    return (
        f'<div class="rl-sim__control{edited}">'
        f'<label for="{base}"><span class="rl-sim__name">{switch}{label}</span> '
        f'<output id="{base}-value" for="{base}">{html.escape(shown["text"])}</output></label>'
        f'<input type="range" id="{base}" {mode.slider_attribute}="{c.key}" min="0" max="{shown["max"]}" step="1" '
        f'value="{shown["position"]}" aria-valuetext="{html.escape(shown["text"])}" '
        f'aria-describedby="{base}-help {base}-range">'
        f'<input type="text" id="{base}-entry" class="rl-sim__entry" {mode.entry_attribute}="{c.key}" '
        f'inputmode="decimal" autocomplete="off" spellcheck="false" value="{html.escape(shown["entry"])}" '
        f'aria-label="{label} (type a number, SI suffixes allowed)" aria-describedby="{base}-range">'
        f'<span class="rl-sim__range" id="{base}-range">{html.escape(shown["range"])}</span>'
        f'<span class="rl-sim__help" id="{base}-help">{html.escape(c.help)}</span>'
        "</div>"
    )


#: Each mode's panel title.
_LEGENDS = {"article": "Parameters", "real": "A deployment"}


def _panel_html(mode: Mode, snap: dict) -> str:
    """A mode's inputs: its pickers, switches and sliders (hidden unless it is the article's mode)."""
    hidden = "" if mode is ARTICLE else " hidden"
    parts = [
        f'<fieldset class="rl-sim__controls" data-mode-panel="{mode.name}"{hidden}><legend>{_LEGENDS[mode.name]}</legend>'
    ]
    for picker in mode.pickers:
        chosen = snap["pickers"][picker.key]
        base = f"{mode.prefix}-{picker.key}"
        options = "".join(
            f'<option value="{html.escape(o.value)}"{" selected" if o.value == chosen else ""}>{html.escape(o.label)}</option>'
            for o in picker.options
        )
        parts.append(
            f'<div class="rl-sim__control rl-sim__picker"><label for="{base}">'
            f'<span class="rl-sim__name">{html.escape(picker.label)}</span></label>'
            f'<select id="{base}" data-pick="{picker.key}" aria-describedby="{base}-help">'
            f"{options}</select>"
            f'<span class="rl-sim__help" id="{base}-help">{html.escape(picker.help)}</span></div>'
        )
    for toggle in mode.toggles:
        checked = " checked" if snap["toggles"][toggle.key] else ""
        base = f"{mode.prefix}-{toggle.key}"
        parts.append(
            f'<div class="rl-sim__control rl-sim__toggle"><label><input type="checkbox" id="{base}" '
            f'data-flag="{toggle.key}"{checked} aria-describedby="{base}-help"> '
            f"{html.escape(toggle.label)}</label>"
            f'<span class="rl-sim__help" id="{base}-help">{html.escape(toggle.help)}</span></div>'
        )
    parts.extend(_control_html(c, snap, mode) for c in mode.controls)
    parts.append("</fieldset>")
    return "".join(parts)


#: The realistic mode's own readouts, grouped, with a reader's label each.
_REAL_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Parallel layout",
        (
            ("layout", "Layout in use"),
            ("layout_source", "Why this layout"),
        ),
    ),
    (
        "Memory",
        (
            ("capacity_wall", "Memory wall: the largest batch that fits"),
            ("fits", "Current B fits?"),
            ("memory", "HBM, all GPUs"),
            ("weights", "Weights stored"),
            ("kv_per_token", "KV per token of context"),
            ("kv_per_sequence", "KV per sequence"),
            ("min_gpus", "Fewest GPUs that hold the weights"),
        ),
    ),
    (
        "Throughput and cost",
        (
            ("best_batch", "Best batch (crossover or wall)"),
            ("throughput", "Tokens/s per GPU"),
            ("throughput_total", "Tokens/s, all GPUs"),
            ("per_user", "Tokens/s per sequence"),
            ("cost", "$ per 1M output tokens (and input, with the serving estimate)"),
        ),
    ),
    (
        "Model effects",
        (
            ("coverage", "Routed experts read per step"),
            ("weights_read", "Weight bytes read per step"),
            ("context_kv_equals_weights", "Context where KV = weights (at B)"),
            ("context_no_crossover", "Context past which lines never cross"),
        ),
    ),
    (
        "Serving estimate (L as the mean context)",
        (
            ("serving_tpot", "Time per output token at B"),
            ("serving_ratio", "Against the article's max"),
            ("serving_workload", "Workload behind L"),
            ("serving_wall", "The estimate's own wall (even split, full length)"),
        ),
    ),
)


#: Groups whose readouts are sentences, not numbers: across the whole row, text to the left.
_WIDE_GROUPS = frozenset({"Parallel layout"})
#: Groups a phone shows first: what the deployment delivers and what stops it.
_ANSWER_GROUPS = frozenset({"Throughput and cost", "Memory"})


def _real_readouts_html(snap: dict) -> str:
    groups = []
    for title, items in _REAL_GROUPS:
        rows = "".join(f"<dt>{html.escape(label)}</dt><dd>{_readout(snap, name)}</dd>" for name, label in items)
        wide = " rl-sim__group--wide" if title in _WIDE_GROUPS else ""
        # The answers a phone reader wants first, just below the last slider (roofline.css reorders them).
        wide += " rl-sim__group--answer" if title in _ANSWER_GROUPS else ""
        groups.append(
            f'<div class="rl-sim__group{wide}"><h2 class="rl-sim__small-heading">{html.escape(title)}</h2>'
            f"<dl>{rows}</dl></div>"
        )
    return f'<div class="rl-sim__real" data-mode-panel="real" hidden>{"".join(groups)}</div>'


def _readout(snap: dict, name: str, tag: str = "span") -> str:
    raw, text = snap["readouts"][name]
    return f'<{tag} data-readout="{name}" data-value="{html.escape(raw)}">{html.escape(text)}</{tag}>'


#: The share-and-export buttons: their action (simulator.js) and label.
_ACTIONS: tuple[tuple[str, str], ...] = (
    ("link", "Copy link"),
    ("reset", "Reset"),
    ("png_step", "Step-time chart as PNG"),
    ("png_frontier", "Frontier as PNG"),
    ("readouts_csv", "Readouts as CSV"),
    ("frontier_csv", "Frontier as CSV"),
    ("json", "JSON (as the CLI prints it)"),
)


def simulator_widget(env) -> str:  # type: ignore[no-untyped-def]
    """The simulator's HTML at the default state, with its scripts.

    plotly.js is not among them: the page's ``simulator: true`` meta has the
    theme (``overrides/main.html``) put it in the ``<head>``.
    """
    if env.page is not None and not env.page.meta.get("simulator"):
        raise ValueError(f"{env.page.file.src_uri}: a page with the simulator needs 'simulator: true' in its meta")
    root = relative_root(env)
    snap = ARTICLE.snapshot(ARTICLE.default, schemes=())
    real_snap = REALISTIC.snapshot(REALISTIC.default, schemes=())
    config = {
        # Pyodide's loadPyodide, booting from the build's snapshot, or plainly
        # with the wheel unpacked (boot.py).
        "interpreter": boot.interpreter_url(root),
        # Our own notices replace PyScript's red error banner; the editor,
        # terminal and game plugins are not used, so the browser never fetches them.
        "plugins": ["!error", "!py-editor", "!py-terminal", "!py-game", "!donkey", "!deprecations-manager"],
    }
    batch = f"<span data-batch-label>{html.escape(snap['batch'])}</span>"
    cards = [
        (f"T_compute @ B = {batch}", _readout(snap, "t_compute", "strong"), "B × N_active / C"),
        (f"T_memory @ B = {batch}", _readout(snap, "t_memory", "strong"), "weights + KV"),
        ("Estimated latency", _readout(snap, "latency", "strong"), "max(T_compute, T_memory)"),
        ("Memory weight term", _readout(snap, "t_weights", "strong"), "N_total / BW: the intercept"),
        ("Memory KV term", _readout(snap, "t_kv", "strong"), f"B × L × b / BW: {_readout(snap, 'kv_share')} of it"),
        ("Memory slope", _readout(snap, "memory_slope", "strong"), "T_memory added per extra sequence"),
        ("Compute / memory", _readout(snap, "compute_memory_ratio", "strong"), "T_compute / T_memory"),
    ]
    card_html = "".join(
        f'<div class="rl-sim__card"><span class="rl-sim__card-title">{title}</span>{value}'
        f'<span class="rl-sim__card-note">{note}</span></div>'
        for title, value, note in cards
    )
    parts = [
        # Before core.js: PyScript reads its config from the first py script it
        # finds when it starts, and from cache it can start before the parser
        # reaches the end of the widget (it then fell back to Pyodide's CDN).
        f'<script type="py" src="main.py" config=\'{html.escape(json.dumps(config), quote=True)}\'></script>',
        # PyScript and the runtime, once plotly.js (in the <head>) has arrived.
        boot.boot_script(root),
        f'<script type="application/json" id="sim-prerender">{PRERENDER_PLACEHOLDER}</script>',
        # What simulator.js shares with Python (ids, the mode rule, the palette), from Python.
        f'<script type="application/json" id="{CONSTANTS_ID}">{_json_in_html(page_constants())}</script>',
        f'<div id="simulator" class="rl-sim" data-macro-block="simulator_widget" data-ready="false" aria-busy="true" data-mode="article" '
        f'data-linked-prerender="{root}{LINKED_PRERENDER_FILE}">',
        '<p class="rl-sim__formula">T_compute = B × N_active / C, T_memory = N_total / BW + B × L × b / BW</p>',
        '<noscript><p class="rl-sim__status">JavaScript is off, so the sliders can\'t run. The numbers '
        "below are the default state's, computed when this site was built.</p></noscript>",
        # The status and the notices share one slot, as tall as the loading line: going live or a
        # notice of a line or two then moves nothing below them.
        '<div class="rl-sim__messages">'
        '<div id="sim-status" class="rl-sim__status" role="status">'
        '<progress class="rl-sim__progress" aria-label="Loading the Python runtime"></progress>'
        '<span id="sim-status-text">Loading Python in your browser: the chart below is already exact, '
        "and the sliders follow you as soon as it is ready.</span></div>",
        '<div id="sim-notices" class="rl-sim__notices" role="alert" hidden></div></div>',
        '<fieldset class="rl-sim__mode"><legend>Model</legend>'
        f'<label><input type="radio" name="{MODE_RADIO}" value="{ARTICLE.name}" checked> The article\'s model '
        "(<cite>Relearning LLMs 02: Writing Inference as Equations</cite>)</label>"
        f'<label><input type="radio" name="{MODE_RADIO}" value="{REALISTIC.name}"> A real deployment '
        "(presets, precision, memory, cost)</label></fieldset>",
        '<div class="rl-sim__layout">',
        _panel_html(ARTICLE, snap),
        _panel_html(REALISTIC, real_snap),
        f'<div class="rl-sim__headline" aria-live="polite"><span>Bottleneck</span> '
        f"{_readout(snap, 'bottleneck', 'strong')}"
        f'<span class="rl-sim__sub">Crossover B* {_readout(snap, "crossover")} · Estimated latency '
        f'<span data-mirror="latency">{html.escape(snap["readouts"]["latency"][1])}</span>'
        # In the realistic mode only: the time per output token (speculation's, drafting included, when on)
        # and, beside the article's max, the serving estimate's.
        '<span data-mode-panel="real" hidden> · Time per token '
        f'<span data-mirror="time_per_token">{html.escape(real_snap["readouts"]["time_per_token"][1])}</span>'
        " · Serving estimate "
        f'<span data-mirror="serving_tpot">{html.escape(real_snap["readouts"]["serving_tpot"][1])}</span></span>'
        "</span>"
        # The frontier's verdict (roofline.web.frontier_view): the batch you would run and what stops it.
        f'<span class="rl-sim__sub rl-sim__verdict">Batch you would run {_readout(snap, "chosen_batch", "strong")}'
        f' · set by {_readout(snap, "binding_limit")}</span>'
        f'<span class="rl-sim__sub">{_readout(snap, "binding_sentence")}</span></div>',
        # What the cards show in the realistic mode (one decode step, or speculation's verify step), across their row.
        f'<div class="rl-sim__cards"><p class="rl-sim__step-note" data-mode-panel="real" hidden>'
        f'{_readout(real_snap, "step_note")}</p>{card_html}</div>',
        # Side by side where there is room; on a phone they share one sticky strip, swiped across.
        '<div class="rl-sim__charts" tabindex="0" role="region" aria-label="Charts: step time and the throughput–interactivity frontier (scroll sideways on a narrow screen)">'
        '<div id="sim-chart" class="rl-sim__chart" role="img" '
        'aria-label="Chart of T_compute and T_memory against batch size B; the readouts give its numbers">'
        "</div>"
        '<div id="sim-frontier" class="rl-sim__chart rl-sim__frontier" role="img" '
        'aria-label="Chart of tokens per second per chip against tokens per second per user as the batch grows, '
        'with the current batch, the batch you would run, the memory wall and the latency target">'
        "</div></div>",
        '<p class="rl-sim__swipe" aria-hidden="true">Swipe the charts sideways: step time, then the frontier →</p>',
        _real_readouts_html(real_snap),
        '<div id="sim-econ" class="rl-sim__chart rl-sim__econ" data-mode-panel="real" hidden role="img" '
        'aria-label="Chart of tokens per second per GPU and dollars per million tokens against batch size B">'
        "</div>",
        "</div>",
        # Share and export (simulator.js): PNGs from plotly.js, CSV and JSON from Python (roofline.web.export).
        '<div class="rl-cmp__actions rl-sim__actions" role="group" aria-label="Share and export">'
        + "".join(
            f'<button type="button" class="md-button rl-cmp__button" id="sim-{action.replace("_", "-")}" '
            f'data-sim-action="{action}">{text}</button>'
            for action, text in _ACTIONS
        )
        + '<span id="sim-said" class="rl-cmp__said" role="status"></span></div>',
        '<div class="rl-sim__reading"><h2 class="rl-sim__small-heading">Reading the chart</h2>'
        f'<p id="sim-explanation">{html.escape(snap["explanation"])}</p></div>',
        '<p class="rl-sim__params"><strong>Current parameters:</strong> '
        f'<span id="sim-params">{html.escape(snap["params"])}</span></p>',
        "</div>",
        # The painter runs as soon as it is parsed: readouts at once, the chart when plotly.js arrives.
        # The site's one theme script first: the painter hands it its chart.
        f'<script src="{root}assets/javascripts/charts.js"></script>',
        f'<script src="{root}assets/javascripts/simulator.js"></script>',
    ]
    return "\n".join(parts)


def _json_in_html(value: object) -> str:
    """``value`` as compact JSON safe inside a ``<script>`` block ("</" cannot appear there)."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def _linked_queries(site_dir: Path) -> set[str]:
    """Queries of every link to the simulator that the built pages make."""
    queries = {""}
    for page in site_dir.rglob("*.html"):
        for href in re.findall(r'href="([^"]*simulator/(?:index\.html)?\?[^"]*)"', page.read_text()):
            queries.add(unquote(html.unescape(urlsplit(href).query)))
    return queries


def write_prerender(site_dir: str | Path) -> int:
    """Put the snapshots ``simulator.js`` paints first where it finds them at once.

    One per state the site links to, keyed by the query as written and by its
    canonical form. The default state's is inlined in the simulator page, so
    the common first paint waits for no request; the others (linked from the
    explainer and deployment pages) go to :data:`LINKED_PRERENDER_FILE`,
    fetched only when the URL carries a query. A link whose query needs
    fixing is skipped: the live widget shows its notices. Returns the number
    of states.
    """
    site = Path(site_dir)
    linked: dict[str, dict] = {}
    for query in sorted(_linked_queries(site)):
        mode = mode_named(mode_of(query))
        state, notices = mode.parse(query)
        if not notices:
            snap = mode.snapshot(state)
            linked[query] = linked[snap["query"]] = snap
    # The realistic mode's opening state too, for a hand-typed ?mode=real (fetched, not inlined).
    real = REALISTIC.snapshot(REALISTIC.default)
    linked[f"{MODE_KEY}={REALISTIC.name}"] = linked[real["query"]] = real
    default = ARTICLE.snapshot(ARTICLE.default)
    page = site / SIMULATOR_PAGE
    text = page.read_text()
    marker = f'<script type="application/json" id="sim-prerender">{PRERENDER_PLACEHOLDER}</script>'
    if text.count(marker) != 1:
        raise RuntimeError(f"{page}: expected one pre-render placeholder, found {text.count(marker)}")
    payload = _json_in_html({"": default, default["query"]: default})
    page.write_text(text.replace(marker, marker.replace(PRERENDER_PLACEHOLDER, payload)))
    (site / LINKED_PRERENDER_FILE).write_text(json.dumps(linked, separators=(",", ":")))
    return len({id(snap) for snap in linked.values()}) + 1


MACROS: dict = {}
PAGE_MACROS = {"simulator_widget": simulator_widget}
