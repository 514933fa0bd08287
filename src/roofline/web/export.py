"""The simulator's exports: its state as the CLI command that reports it, and the readouts and frontier as CSV and JSON.

The JSON export is what the command line prints for the same state: this
module spells the ``roofline`` flags a simulator state means
(:func:`command`) and runs the CLI on them (:func:`roofline.cli.json_output`),
so the two cannot disagree. A state the CLI has no flag for (an edited HBM
capacity) gets no command; its JSON then says so instead of inventing one.

>>> from roofline.web.article import ARTICLE
>>> command(ARTICLE, ARTICLE.default)[0][:4]
['--batch', '128', '--max-batch', '2048']
>>> from roofline.web.realistic import REALISTIC
>>> " ".join(command(REALISTIC, REALISTIC.parse("mode=real&tp=8&ep=8&dpa=1&spec=1")[0])[0])
'--hardware h200 --model deepseek-v3 --gpus 8 --precision fp8 --kv-precision fp8 --context 32768 --batch 32 --price 2 --tp 8 --ep 8 --pp 1 --dp-attention --mtp'
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..cli import json_output
from ..speculative import DEFAULT_ACCEPTANCE
from .controls import exact_text
from .frontier_view import frontier_report

__all__ = ["command", "deployment_flags", "exports"]

#: The article's sliders and the CLI flag each sets.
_ARTICLE_FLAGS = (
    ("B", "--batch"), ("B_max", "--max-batch"), ("N_active", "--n-active"), ("C", "--compute"),
    ("N_total", "--n-total"), ("BW", "--bandwidth"), ("L", "--context"), ("b", "--kv-bytes"),
)
#: The realistic mode's overrides the CLI takes, by state field.
_OVERRIDE_FLAGS = (
    ("compute_ops_per_s", "--compute"), ("bandwidth_bytes_per_s", "--bandwidth"),
    ("total_params", "--n-total"), ("active_params", "--n-active"),
)


def command(mode: Any, state: Any) -> tuple[list[str] | None, str]:
    """The ``roofline`` flags for a simulator state (``--json`` left off), and an empty note; or None and why none."""
    target = getattr(state, "tpot_target_ms", None)
    tail = [] if target is None else ["--tpot-target-ms", repr(float(target))]
    if mode.name == "article":
        args: list[str] = []
        for key, flag in _ARTICLE_FLAGS:
            args += [flag, exact_text(mode.value(state, key))]
        return args + tail, ""
    from .realistic import layout_of

    if state.memory_bytes is not None:
        return None, "the CLI has no flag for an edited HBM capacity (HBM=), so there is no command for this state"
    args = [
        "--hardware", state.hardware, "--model", state.model, "--gpus", str(state.gpus),
        "--precision", state.weight_precision, "--kv-precision", state.kv_precision,
        "--context", exact_text(state.context_tokens), "--batch", exact_text(state.batch),
        "--price", exact_text(state.usd_per_gpu_hour),
    ]
    for field, flag in _OVERRIDE_FLAGS:
        value = getattr(state, field)
        if value is not None:
            args += [flag, exact_text(value)]
    if not state.moe_discount:
        args.append("--no-moe-discount")
    if not state.attention_flops:
        args.append("--no-attention-flops")
    if state.attention_precision != "auto":
        args += ["--attention-precision", state.attention_precision]
    try:
        layout = layout_of(state)
    except ValueError:
        layout = None  # the page has already fallen back to the engines' default, with a notice
    args += deployment_flags(layout, state)
    return args + tail, ""


def deployment_flags(layout: Any, state: Any) -> list[str]:
    """The CLI's layout and speculation flags for a realistic state (``layout`` its
    :func:`~roofline.web.realistic.layout_of`, None for the engines' default); shared by the
    simulator's command and the compare page's."""
    args: list[str] = []
    if layout is not None:
        if layout.ideal:
            args.append("--ideal")
        else:
            args += ["--tp", str(layout.tp), "--ep", str(layout.ep), "--pp", str(layout.pp)]
            if layout.dp_attention:
                args.append("--dp-attention")
    if state.speculation:
        args.append("--mtp")
        if state.draft_tokens != DEFAULT_ACCEPTANCE.draft_tokens:
            args += ["--draft-tokens", str(int(state.draft_tokens))]
        if state.acceptance != DEFAULT_ACCEPTANCE.acceptance:
            args += ["--acceptance", repr(float(state.acceptance))]
    return args


def exports(mode: Any, state: Any) -> dict[str, str]:
    """``json`` (the CLI's object for this state, with the command and the page's query),
    ``readouts_csv`` (name, value, text) and ``frontier_csv`` (one row per point)."""
    args, note = command(mode, state)
    cli: dict | None = None
    if args is not None:
        status, cli, error = json_output(args)
        if cli is None:
            note = f"the CLI refused these flags (status {status}): {error}"
    payload = {
        "page": "simulator",
        "mode": mode.name,
        "query": mode.encode(state),
        "command": None if args is None else "roofline " + " ".join([*args, "--json"]),
        "note": note or None,
        "cli": cli,
    }
    readouts = io.StringIO()
    writer = csv.writer(readouts, lineterminator="\n")
    writer.writerow(["name", "value", "text"])
    for name, readout in mode.readouts(state).items():
        writer.writerow([name, readout.raw, readout.text])
    points = io.StringIO()
    writer = csv.writer(points, lineterminator="\n")
    writer.writerow(["batch", "ms_per_token", "tokens_per_s_per_user", "tokens_per_s_per_gpu"])
    report, _ = frontier_report(mode, state)
    for p in report.points if report is not None else ():
        writer.writerow(list(p.as_dict().values()))
    return {"json": json.dumps(payload, indent=2), "readouts_csv": readouts.getvalue(), "frontier_csv": points.getvalue()}
