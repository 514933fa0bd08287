"""The compare page's view: up to four deployments of one model and one workload side by side, with no DOM.

Each deployment is a chip, a count, a parallel layout, weight and KV
precision, speculation and a price, read exactly as the simulator's
realistic mode reads them (:data:`roofline.web.realistic.REALISTIC`: same
keys, same checks, same notices); the workload (model, prompt and output
lengths, latency target) is shared. Every number comes from
:func:`roofline.sizing.size`, the function ``roofline serving`` calls, so a
deployment's JSON here is what the CLI prints for it (:func:`command`
spells that command).

URL keys: the workload's ``model``, ``isl`` (prompt tokens), ``osl``
(output tokens) and ``tpot`` (ms per output token, ``off`` for no target);
then each deployment's keys with its number, 1 to 4: ``hw1``, ``gpus1``,
``wprec1``, ``kvprec1``, ``tp1``, ``ep1``, ``dpa1``, ``pp1``, ``ideal1``,
``spec1``, ``draft1``, ``accept1``, ``price1``. With no deployment key at all
the page shows :data:`DEFAULT_DEPLOYMENTS`.

>>> state, notices = COMPARE.parse("")
>>> notices, len(state.deployments)
([], 4)
>>> COMPARE.parse(COMPARE.encode(state))[0] == state
True
>>> state, notices = COMPARE.parse("hw1=h200&gpus1=8&hw2=h300&hw5=b200")
>>> [d.hardware for d in state.deployments]
['h200']
>>> print("\\n".join(notices))
Deployment 2: hw2='h300' is not a chip preset (a100-sxm, h100-sxm, h800, h100-pcie, h200, b200, mi300x, mi325x, tpu-v5e, tpu-v5p, tpu-v6e, rtx-4090); leaving it out.
Deployment 5 (hw5=b200): at most 4 deployments are compared; leaving it out.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from dataclasses import dataclass, replace
from typing import Any

from .. import frontier, serving, sizing
from ..presets import HARDWARE, KV_PRECISIONS, MODELS, WEIGHT_PRECISIONS
from ..units import format_batch, format_number, format_si, format_time, format_tokens, format_usd
from .charts import chart_layout
from .controls import check_text, describe, exact_text, shorten, sliders
from .export import deployment_flags
from .frontier_view import LIMIT_TEXT, check_target_text
from .palette import SCHEMES
from .palette import colors as palette_colors
from .query import encode_pairs, last_values, parse_pairs
from .realistic import DEFAULT_REAL_STATE, PICKERS, REALISTIC, RealState, deployment_of, layout_of, speculation_of

__all__ = [
    "COMPARE",
    "DEFAULT_DEPLOYMENTS",
    "DEPLOYMENT_KEYS",
    "MAX_DEPLOYMENTS",
    "Compare",
    "CompareState",
    "Row",
    "command",
]

#: The most deployments one comparison holds.
MAX_DEPLOYMENTS = 4
#: A deployment's URL keys (each followed by its number): the realistic mode's keys for what a deployment is.
DEPLOYMENT_KEYS: tuple[str, ...] = (
    "hw", "gpus", "wprec", "kvprec", "tp", "ep", "dpa", "pp", "ideal", "spec", "draft", "accept", "price",
)
#: The workload's URL keys, shared by every deployment.
WORKLOAD_KEYS: tuple[str, ...] = ("model", "isl", "osl", "tpot")
#: Each deployment's palette role, in order (distinct hues in both schemes), and its line dash and marker.
ROLES: tuple[str, ...] = ("compute", "memory", "now", "cost")
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot")
SYMBOLS: tuple[str, ...] = ("diamond", "square", "triangle-up", "circle")

_NUMBERED = re.compile(r"([a-z_]+?)(\d+)")


#: The shared workload's sliders: prompt and output tokens, and the latency target (``controls.toml``).
INPUT_CONTROL, OUTPUT_CONTROL, TARGET = sliders("compare")


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareState:
    """A comparison: the shared workload and the deployments (realistic-mode states; only their deployment fields count).

    ``tpot_target_ms`` is None for no target (each deployment then runs at its memory wall).
    """

    model: str = "deepseek-v3"
    input_tokens: int = 1000
    output_tokens: int = 1000
    tpot_target_ms: float | None = 50.0
    deployments: tuple[RealState, ...] = ()


def _deployment(**changes: Any) -> RealState:
    return replace(DEFAULT_REAL_STATE, **changes)


#: The comparison the page opens on: DeepSeek-V3 in FP8 on one node of four kinds, as the engines run it.
DEFAULT_DEPLOYMENTS: tuple[RealState, ...] = (
    _deployment(hardware="h200", tp="8"),
    _deployment(hardware="h200", tp="8", ep="8", dp_attention="1"),
    _deployment(hardware="b200"),
    _deployment(hardware="mi300x"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One readout of a deployment: its name (a CSV column), label, raw value and display text."""

    name: str
    label: str
    value: float | str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """What one deployment of a comparison comes to: its sizing, or why there is none."""

    state: RealState
    sizing: sizing.Sizing | None
    problem: str | None


def _realistic_pairs(d: RealState) -> list[tuple[str, str]]:
    """A deployment's URL pairs, as the realistic mode writes them, less what the comparison shares or ignores."""
    return [(key, value) for key, value in REALISTIC.pairs(d) if key in DEPLOYMENT_KEYS]


def _renamed(notice: str, number: int) -> str:
    """A realistic-mode notice about ``key=...`` as this page's ``key{number}=...``."""
    for key in DEPLOYMENT_KEYS:
        notice = re.sub(rf"(^|[ (]){key}=", rf"\g<1>{key}{number}=", notice)
    return f"Deployment {number}: {notice}"


def command(state: CompareState, d: RealState) -> list[str]:
    """The ``roofline serving`` command line that prints deployment ``d``'s JSON (its arguments, from ``serving`` on)."""
    args = [
        "serving", "--hardware", d.hardware, "--model", state.model, "--gpus", str(d.gpus),
        "--precision", d.weight_precision, "--kv-precision", d.kv_precision,
        "--input-tokens", str(state.input_tokens), "--output-tokens", str(state.output_tokens),
        "--usd-per-gpu-hour", exact_text(d.usd_per_gpu_hour),
    ]
    args += deployment_flags(layout_of(d), d)
    if state.tpot_target_ms is not None:
        args += ["--tpot-target-ms", repr(state.tpot_target_ms)]
    else:
        args += ["--concurrency", str(_wall(state, d))]
    return [*args, "--json"]


def _size(state: CompareState, d: RealState, concurrency: int | None = None) -> sizing.Sizing:
    shown = replace(d, model=state.model)
    # deployment_of falls back to the engines' layout for one that cannot run;
    # a comparison names the problem instead, as the CLI does for the same flags.
    deployment = replace(deployment_of(shown), layout=layout_of(shown))
    workload = serving.Workload(
        input_tokens=state.input_tokens, output_tokens=state.output_tokens, speculation=speculation_of(d)
    )
    target = None if state.tpot_target_ms is None else state.tpot_target_ms / 1e3
    return sizing.size_deployment(
        deployment, workload, concurrency=concurrency if target is None else None, target_s=target
    )


def _wall(state: CompareState, d: RealState) -> int:
    """With no target, a deployment runs at its memory wall: the estimate's wall at concurrency 1."""
    return _size(state, d, 1).estimate.capacity_batch


_RESULTS: dict[tuple[CompareState, RealState], Result] = {}


def result(state: CompareState, d: RealState) -> Result:
    """Deployment ``d`` of comparison ``state`` sized, or the reason it cannot be (remembered: one render asks often)."""
    key = (replace(state, deployments=()), d)
    found = _RESULTS.get(key)
    if found is None:
        try:
            concurrency = None if state.tpot_target_ms is not None else _wall(state, d)
            found = Result(state=d, sizing=_size(state, d, concurrency), problem=None)
        except serving.DoesNotFit as error:
            found = Result(state=d, sizing=None, problem=f"does not fit: {error}")
        except ValueError as error:
            found = Result(state=d, sizing=None, problem=str(error))
        if len(_RESULTS) >= 64:
            _RESULTS.pop(next(iter(_RESULTS)))
        _RESULTS[key] = found
    return found


def label(d: RealState) -> str:
    """A deployment's name on the chart and its card: ``8 × H200 SXM, tp8-ep8-dpa, FP8``."""
    name = HARDWARE[d.hardware].name.removeprefix("NVIDIA ").removeprefix("AMD Instinct ").removeprefix("Google ")
    shape = deployment_of(d).active_layout.key
    spec = ", MTP" if d.speculation else ""
    return f"{d.gpus} × {name}, {shape}, {WEIGHT_PRECISIONS[d.weight_precision].label.split(' ')[0]}{spec}"


def rows(state: CompareState, d: RealState) -> list[Row]:
    """The readouts of one deployment, in the order the card lists them."""
    r = result(state, d)
    if r.sizing is None:
        return [Row(name="problem", label="No estimate", value=None, text=r.problem or "")]
    s = r.sizing
    e = s.estimate
    b = s.band
    chosen = "none meets the target" if s.chosen_batch is None else format_batch(s.chosen_batch)
    binds = {"latency": "the latency target", "memory": "the memory wall", "concurrency": "the concurrency"}
    per_chip = e.output_tokens_per_s / e.deployment.gpus
    source = "as set" if e.deployment.layout is not None else "the engines' default"
    return [
        Row(name="layout", label="Layout", value=e.layout.key,
            text=f"{e.layout.key} ({source})"),
        Row(name="chosen_batch", label="Batch you would run", value=s.chosen_batch, text=chosen),
        Row(name="binding_limit", label="Set by", value=s.binding_limit,
            text=binds.get(s.binding_limit, LIMIT_TEXT.get(s.binding_limit, s.binding_limit))),
        Row(name="tpot_s", label="Time per output token", value=e.tpot_s, text=format_time(e.tpot_s)),
        Row(name="tpot_band", label="Band (published servers, held out)", value=b.tpot_s_high,
            text=f"{format_time(b.tpot_s_low)} to {format_time(b.tpot_s_high)}"
            + (f" (from {b.band.label})" if b.fallback else "")),
        Row(name="tokens_per_s_per_user", label="Tokens/s per user", value=e.tokens_per_s_per_user,
            text=format_number(e.tokens_per_s_per_user, 4)),
        Row(name="tokens_per_s_per_gpu", label="Output tokens/s per chip", value=per_chip,
            text=format_number(per_chip, 4)),
        Row(name="ttft_s", label="Time to first token", value=e.ttft_s, text=format_time(e.ttft_s)),
        Row(name="usd_per_million_input_tokens", label="$ per 1M input tokens",
            value=e.usd_per_million_input_tokens, text=format_usd(e.usd_per_million_input_tokens)),
        Row(name="usd_per_million_output_tokens", label="$ per 1M output tokens",
            value=e.usd_per_million_output_tokens, text=format_usd(e.usd_per_million_output_tokens)),
        Row(name="capacity_batch", label="Memory wall", value=e.capacity_batch,
            text=f"{format_batch(e.capacity_batch)} sequences"),
    ]


class Compare:
    """The compare page's state rules: URL in and out, the readouts, the chart, the exports and the HTML."""

    default = CompareState(deployments=DEFAULT_DEPLOYMENTS)

    # ------------------------------------------------------------ the URL

    def parse(self, query: str) -> tuple[CompareState, list[str]]:
        """Read a URL query into a comparison, with a plain-text notice per fix (never an exception).

        A deployment with an unknown chip, or numbered past :data:`MAX_DEPLOYMENTS`,
        is left out with a notice naming the value; any other bad value of a
        deployment is fixed as the simulator fixes it (a layout that does not
        divide the chips: the engines' default), the notice naming the deployment.
        """
        pairs = parse_pairs(query.lstrip("?"))
        numbered: dict[int, list[tuple[str, str]]] = {}
        shared: list[tuple[str, str]] = []
        for key, value in pairs:
            match = _NUMBERED.fullmatch(key)
            if match and match.group(1) in DEPLOYMENT_KEYS:
                numbered.setdefault(int(match.group(2)), []).append((match.group(1), value))
            else:
                shared.append((key, value))
        seen, notices = last_values(shared, set(WORKLOAD_KEYS))
        state = replace(self.default, deployments=())
        raw_model = seen.get("model")
        if raw_model is not None:
            if raw_model.lower() in MODELS:
                state = replace(state, model=raw_model.lower())
            else:
                notices.append(f"model={shorten(raw_model)!r} is not a model preset; using the default {state.model}.")
        for c in (INPUT_CONTROL, OUTPUT_CONTROL):
            raw = seen.get(c.key)
            if raw is None:
                continue
            value, problem = check_text(c, raw, c.minimum, c.maximum)
            if value is None:
                notices.append(f"{problem}; using the default {format_tokens(c.default)} tokens.")
                continue
            if problem:
                notices.append(f"{problem}; using {format_tokens(round(value))} tokens.")
            field = "input_tokens" if c.key == "isl" else "output_tokens"
            state = replace(state, **{field: max(1, round(value))})
        raw = seen.get("tpot")
        if raw is not None:
            if raw.strip().lower() in {"off", "none", ""}:
                state = replace(state, tpot_target_ms=None)
            else:
                value, problem = check_target_text(TARGET, raw, TARGET.minimum, TARGET.maximum)
                if value is None:
                    notices.append(f"{problem}; using the default {describe(TARGET, TARGET.default)}.")
                else:
                    if problem:
                        notices.append(f"{problem}; using {describe(TARGET, value)}.")
                    state = replace(state, tpot_target_ms=value)
        if not numbered:
            return replace(state, deployments=DEFAULT_DEPLOYMENTS), notices
        deployments: list[RealState] = []
        for number in sorted(numbered):
            given = numbered[number]
            if not 1 <= number <= MAX_DEPLOYMENTS:
                first = "&".join(f"{k}{number}={shorten(v, 12)}" for k, v in given[:2])
                notices.append(
                    f"Deployment {number} ({first}): at most {MAX_DEPLOYMENTS} deployments are compared; leaving it out."
                )
                continue
            chip = dict(given).get("hw")
            if chip is not None and chip.lower() not in HARDWARE:
                notices.append(
                    f"Deployment {number}: hw{number}={shorten(chip)!r} is not a chip preset "
                    f"({', '.join(HARDWARE)}); leaving it out."
                )
                continue
            sub = [("mode", "real"), ("model", state.model), *given]
            d, more = REALISTIC.parse(encode_pairs(sub))
            notices.extend(_renamed(notice, number) for notice in more)
            deployments.append(d)
        return replace(state, deployments=tuple(deployments)), notices

    def pairs(self, state: CompareState) -> list[tuple[str, str]]:
        pairs = [
            ("model", state.model),
            ("isl", str(state.input_tokens)),
            ("osl", str(state.output_tokens)),
            ("tpot", "off" if state.tpot_target_ms is None else exact_text(state.tpot_target_ms)),
        ]
        for number, d in enumerate(state.deployments, start=1):
            pairs += [(f"{key}{number}", value) for key, value in _realistic_pairs(d)]
        return pairs

    def encode(self, state: CompareState) -> str:
        """The URL query that :meth:`parse` reads back as exactly ``state``."""
        return encode_pairs(self.pairs(state))

    # ------------------------------------------------------------ inputs

    def with_input(self, state: CompareState, key: str, value: str) -> tuple[CompareState, list[str]]:
        """``state`` with one input set (``hw2``, ``isl``, …), read through :meth:`parse` like a URL, and its notices.

        A deployment's numbered key whose deployment is missing is ignored.
        """
        pairs = [(k, v) for k, v in self.pairs(state) if k != key]
        return self.parse(encode_pairs([*pairs, (key, value)]))

    def added(self, state: CompareState) -> CompareState:
        """``state`` with one more deployment (a copy of the last, or the first default), up to four."""
        if len(state.deployments) >= MAX_DEPLOYMENTS:
            return state
        last = state.deployments[-1] if state.deployments else DEFAULT_DEPLOYMENTS[0]
        return replace(state, deployments=(*state.deployments, last))

    def removed(self, state: CompareState, number: int) -> CompareState:
        """``state`` without deployment ``number`` (from 1); the last one stays."""
        if len(state.deployments) <= 1 or not 1 <= number <= len(state.deployments):
            return state
        kept = tuple(d for i, d in enumerate(state.deployments, start=1) if i != number)
        return replace(state, deployments=kept)

    # ------------------------------------------------------------ what the page shows

    def figure(self, state: CompareState, scheme: str = "default") -> dict:
        """Tokens/s per chip (y) against tokens/s per user (x), one frontier per deployment, the chosen
        batch of each marked, the latency target a vertical line; both axes logarithmic."""
        colors = palette_colors(scheme)
        layout = chart_layout(colors, 1.0, "output tokens/s per chip", 1.0)
        layout["hovermode"] = "closest"
        layout["margin"] = {**layout["margin"], "t": 8}
        layout["legend"] = {
            **layout["legend"], "orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom", "font": {"size": 11},
            "bgcolor": "rgba(0,0,0,0)",
        }
        layout["xaxis"]["title"] = {"text": "tokens/s per user"}
        data: list[dict] = []
        xs: list[float] = []
        ys: list[float] = []
        for i, d in enumerate(state.deployments):
            r = result(state, d)
            if r.sizing is None:
                continue
            role = ROLES[i % len(ROLES)]
            name = f"{i + 1}: {label(d)}"
            points = r.sizing.frontier()
            x = [p.tokens_per_s_per_user for p in points]
            y = [p.tokens_per_s_per_gpu for p in points]
            xs += x
            ys += y
            data.append({
                "type": "scatter", "mode": "lines", "name": name, "meta": role, "legendgroup": str(i),
                "x": x, "y": y, "customdata": [format_batch(p.batch) for p in points],
                "line": {"color": colors[role], "width": 3, "dash": DASHES[i % len(DASHES)]},
                "hovertemplate": "B = %{customdata}<br>%{x:.3s} tokens/s per user<br>%{y:.3s} tokens/s per chip"
                "<extra>%{fullData.name}</extra>",
            })
            chosen = r.sizing.chosen_batch
            if chosen is not None:
                p = frontier.point(serving.lines_of(r.sizing.estimate), chosen)
                data.append({
                    "type": "scatter", "mode": "markers", "name": f"{i + 1}: B = {format_batch(chosen)}",
                    "meta": role, "legendgroup": str(i), "showlegend": False,
                    "x": [p.tokens_per_s_per_user], "y": [p.tokens_per_s_per_gpu],
                    "marker": {"color": colors[role], "size": 13, "symbol": SYMBOLS[i % len(SYMBOLS)],
                               "line": {"width": 1, "color": colors["text"]}},
                    "hovertemplate": f"deployment {i + 1}: batch you would run, B = {format_batch(chosen)}"
                    "<br>%{x:.3s} tokens/s per user<br>%{y:.3s} tokens/s per chip<extra></extra>",
                })
        if not xs:
            layout["annotations"] = [{"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False,
                                      "text": "no deployment of this comparison fits"}]
            return {"data": data, "layout": layout}
        x_low, x_high, y_low, y_high = min(xs), max(xs), min(ys), max(ys)
        if state.tpot_target_ms is not None:
            rate = frontier.rate_for_target(state.tpot_target_ms / 1e3)
            text = f"target {describe(TARGET, state.tpot_target_ms)} per token"
            x_low, x_high = min(x_low, rate), max(x_high, rate)
            data.append({
                "type": "scatter", "mode": "lines", "name": text, "meta": "target",
                "x": [rate, rate], "y": [y_low / 2, y_high * 2],
                "line": {"color": colors["target"], "width": 2, "dash": "longdash"},
                "hovertemplate": f"{format_si(rate)} tokens/s per user<extra>{text}</extra>",
            })
        for axis, low, high in (("xaxis", x_low, x_high), ("yaxis", y_low, y_high)):
            layout[axis].update({"type": "log", "range": [math.log10(low) - 0.08, math.log10(high) + 0.08],
                                 "tickformat": "~s", "dtick": "D2"})
        return {"data": data, "layout": layout}

    def exports(self, state: CompareState, notices: list[str]) -> dict[str, str]:
        """The page's downloads: ``json`` (each deployment's ``roofline serving --json`` object, its command
        and its frontier), ``readouts_csv`` (one row per deployment) and ``frontier_csv`` (one row per point)."""
        deployments = []
        readouts = io.StringIO()
        points = io.StringIO()
        head = ["deployment", "label"]
        names: list[str] | None = None
        readout_rows: list[list[object]] = []
        point_writer = csv.writer(points, lineterminator="\n")
        point_writer.writerow([*head, "batch", "ms_per_token", "tokens_per_s_per_user", "tokens_per_s_per_gpu"])
        for number, d in enumerate(state.deployments, start=1):
            r = result(state, d)
            entry: dict[str, object] = {
                "deployment": number,
                "label": label(d),
                "command": "roofline " + " ".join(command(state, d)) if r.sizing is not None else None,
                "serving": None if r.sizing is None else r.sizing.as_dict(),
                "problem": r.problem,
                "frontier": [] if r.sizing is None else [p.as_dict() for p in r.sizing.frontier()],
            }
            deployments.append(entry)
            if r.sizing is not None:
                flat = {k: v for k, v in r.sizing.as_dict().items() if not isinstance(v, dict)}
                spec = r.sizing.speculation
                flat["tokens_per_step"] = 1.0 if spec is None else spec.tokens_per_step
                names = names or list(flat)
                readout_rows.append([number, label(d), *(flat.get(n) for n in names)])
                for p in entry["frontier"]:  # type: ignore[union-attr]
                    point_writer.writerow([number, label(d), *p.values()])
        writer = csv.writer(readouts, lineterminator="\n")
        writer.writerow([*head, *(names or [])])
        for row in readout_rows:
            writer.writerow(["" if v is None else v for v in row])
        payload = {
            "page": "compare",
            "query": self.encode(state),
            "model": state.model,
            "input_tokens": state.input_tokens,
            "output_tokens": state.output_tokens,
            "tpot_target_s": None if state.tpot_target_ms is None else state.tpot_target_ms / 1e3,
            "notices": notices,
            "deployments": deployments,
        }
        return {
            "json": json.dumps(payload, indent=2),
            "readouts_csv": readouts.getvalue(),
            "frontier_csv": points.getvalue(),
        }

    def snapshot(self, state: CompareState, notices: list[str], schemes: tuple[str, ...] | None = None) -> dict:
        """Everything the page shows, JSON-ready: ``query``, ``notices``, ``html`` (the cards), ``count``,
        ``figures`` (scheme -> figure), ``swatches`` (scheme -> each card's colour) and ``exports`` (:meth:`exports`)."""
        schemes = SCHEMES if schemes is None else schemes
        return {
            "query": self.encode(state),
            "notices": list(notices),
            "count": len(state.deployments),
            "html": self.cards_html(state),
            "workload": self.workload_html(state),
            "figures": {scheme: self.figure(state, scheme) for scheme in schemes},
            # Each card's swatch, the colour of its line on the chart (set by the painter: no inline styles).
            "swatches": {
                scheme: [palette_colors(scheme)[ROLES[i % len(ROLES)]] for i in range(len(state.deployments))]
                for scheme in schemes
            },
            "exports": self.exports(state, notices),
        }

    # ------------------------------------------------------------ the HTML (the build and the browser both write it)

    def workload_html(self, state: CompareState) -> str:
        """The shared inputs: model, prompt and output tokens, latency target."""
        models = "".join(
            f'<option value="{html.escape(m.key)}"{" selected" if m.key == state.model else ""}>{html.escape(m.name)}</option>'
            for m in MODELS.values()
        )
        target = "" if state.tpot_target_ms is None else exact_text(state.tpot_target_ms)
        return (
            '<div class="rl-cmp__field"><label for="cmp-model">Model</label>'
            f'<select id="cmp-model" data-cmp-key="model">{models}</select></div>'
            '<div class="rl-cmp__field"><label for="cmp-isl">Prompt tokens</label>'
            f'<input type="text" id="cmp-isl" data-cmp-key="isl" inputmode="numeric" autocomplete="off" '
            f'value="{state.input_tokens}" aria-describedby="cmp-tokens-help"></div>'
            '<div class="rl-cmp__field"><label for="cmp-osl">Output tokens</label>'
            f'<input type="text" id="cmp-osl" data-cmp-key="osl" inputmode="numeric" autocomplete="off" '
            f'value="{state.output_tokens}" aria-describedby="cmp-tokens-help"></div>'
            '<div class="rl-cmp__field"><label for="cmp-tpot">Target ms per token</label>'
            f'<input type="text" id="cmp-tpot" data-cmp-key="tpot" inputmode="decimal" autocomplete="off" '
            f'value="{target}" placeholder="off" aria-describedby="cmp-tpot-help"></div>'
            '<p class="rl-cmp__help"><span id="cmp-tokens-help">Per request; SI suffixes allowed (1K = 1,000).</span> '
            '<span id="cmp-tpot-help">The target caps each batch; empty: no target, each runs at its memory wall.</span></p>'
        )

    def cards_html(self, state: CompareState) -> str:
        """One card per deployment: its inputs, then its readouts as a table."""
        cards = []
        count = len(state.deployments)
        for number, d in enumerate(state.deployments, start=1):
            cards.append(self._card_html(state, number, d, count))
        return "".join(cards)

    def _card_html(self, state: CompareState, number: int, d: RealState, count: int) -> str:
        base = f"cmp-{number}"
        role = ROLES[(number - 1) % len(ROLES)]

        def select(key: str, text: str, options: list[tuple[str, str]], chosen: str) -> str:
            opts = "".join(
                f'<option value="{html.escape(v)}"{" selected" if v == chosen else ""}>{html.escape(t)}</option>'
                for v, t in options
            )
            return (
                f'<div class="rl-cmp__field"><label for="{base}-{key}">{html.escape(text)}</label>'
                f'<select id="{base}-{key}" data-cmp-key="{key}{number}">{opts}</select></div>'
            )

        def entry(key: str, text: str, value: str, inputmode: str) -> str:
            return (
                f'<div class="rl-cmp__field"><label for="{base}-{key}">{html.escape(text)}</label>'
                f'<input type="text" id="{base}-{key}" data-cmp-key="{key}{number}" inputmode="{inputmode}" '
                f'autocomplete="off" value="{html.escape(value)}"></div>'
            )

        pickers = {p.key: p for p in PICKERS}

        def layout_select(key: str, text: str, field: str) -> str:
            options = [(o.value, "auto" if o.value == "auto" else o.label) for o in pickers[key].options]
            return select(key, text, options, getattr(d, field))

        fields = [
            select("hw", "Chip", [(h.key, h.name) for h in HARDWARE.values()], d.hardware),
            entry("gpus", "Chips", str(d.gpus), "numeric"),
            layout_select("tp", "TP", "tp"),
            layout_select("ep", "EP", "ep"),
            layout_select("dpa", "DP attention", "dp_attention"),
            layout_select("pp", "PP", "pp"),
            select("wprec", "Weights", [(p.key, p.label) for p in WEIGHT_PRECISIONS.values()], d.weight_precision),
            select("kvprec", "KV cache", [(p.key, p.label) for p in KV_PRECISIONS.values()], d.kv_precision),
            entry("price", "$ per chip-hour", exact_text(d.usd_per_gpu_hour), "decimal"),
            f'<div class="rl-cmp__field rl-cmp__check"><label><input type="checkbox" id="{base}-spec" '
            f'data-cmp-key="spec{number}"{" checked" if d.speculation else ""}> Speculation (MTP)</label></div>',
        ]
        body = "".join(
            f'<tr data-cmp-row="{r.name}"><th scope="row">{html.escape(r.label)}</th>'
            f'<td data-value="{html.escape("" if r.value is None else repr(r.value) if not isinstance(r.value, str) else r.value)}">'
            f"{html.escape(r.text)}</td></tr>"
            for r in rows(state, d)
        )
        remove = (
            f'<button type="button" class="md-button rl-cmp__remove" data-cmp-remove="{number}" '
            f'aria-label="Remove deployment {number}">Remove</button>'
            if count > 1
            else ""
        )
        title = html.escape(label(d))
        return (
            f'<section class="rl-cmp__card" id="{base}" data-role="{role}" aria-labelledby="{base}-title">'
            f'<h2 class="rl-cmp__title" id="{base}-title"><span class="rl-cmp__swatch rl-cmp__swatch--{number}" '
            f'aria-hidden="true"></span>{number}: {title}</h2>{remove}'
            f'<fieldset class="rl-cmp__inputs"><legend class="rl-cmp__legend">Deployment {number}</legend>'
            f'{"".join(fields)}</fieldset>'
            f'<table class="rl-cmp__table"><caption>Deployment {number} at the batch you would run</caption>'
            f"<tbody>{body}</tbody></table></section>"
        )


#: The page's one instance.
COMPARE = Compare()
