"""With the serving estimate and speculation on, every readout the page shows agrees with the CLI.

The page runs the wheel in Pyodide; the CLI runs the same core in CPython. The
state is one the build does not pre-render, so Python in the page computes it.
"""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from conftest import READY_TIMEOUT_MS

from roofline import cli
from roofline.units import format_time
from roofline.web.realistic import REAL_READOUT_NAMES, REALISTIC

pytestmark = pytest.mark.browser

#: DeepSeek-V3 on 8 × H200 (the engines' TP8), L = 3,000 read as the mean context of 2,000 in and 2,000 out.
QUERY = "mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=3000&B=64&serve=1&spec=1&tpot=50"
DEPLOYMENT = ["--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--precision", "fp8", "--kv-precision", "fp8"]


def cli_json(argv: list[str]) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(argv) == 0
    return json.loads(out.getvalue())


def test_serve_and_spec_readouts_agree_with_the_cli(page, site_url) -> None:
    """The page fixture fails the test on any console or page error."""
    state, notices = REALISTIC.parse(QUERY)
    assert notices == [] and state.serving_estimate and state.speculation
    workload = ["--input-tokens", "2000", "--output-tokens", "2000", "--concurrency", "64"]
    serving = cli_json(["serving", *DEPLOYMENT, *workload, "--mtp", "--tpot-target-ms", "50", "--json"])
    floor = cli_json([*DEPLOYMENT, "--context", "3000", "--batch", "64", "--mtp", "--json"])
    page.goto(f"{site_url}simulator/?{QUERY}")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    shown = page.eval_on_selector_all(
        "[data-readout]", "els => Object.fromEntries(els.map(e => [e.dataset.readout, [e.dataset.value, e.textContent]]))"
    )

    def value(name: str) -> float:
        return float(shown[name][0])

    # The serving estimate drives the batch you would run and every token readout ...
    assert value("chosen_batch") == serving["chosen_batch"] and shown["binding_limit"][0] == serving["binding_limit"]
    assert value("serving_tpot") == pytest.approx(serving["tpot_s"], rel=1e-12)
    per_token = page.locator("[data-mirror=time_per_token]").inner_text()
    assert per_token.startswith(f"{format_time(serving['tpot_s'])} by the serving estimate")
    assert value("per_user") == pytest.approx(serving["tokens_per_s_per_user"], rel=1e-12)
    assert value("throughput") == pytest.approx(serving["output_tokens_per_s"] / 8, rel=1e-12)
    assert value("throughput_total") == pytest.approx(serving["output_tokens_per_s"], rel=1e-12)
    assert value("cost") == pytest.approx(serving["usd_per_million_output_tokens"], rel=1e-12)
    assert f"{serving['usd_per_million_input_tokens']:.4f}"[:5] in shown["cost"][1].replace("$", "")
    assert value("serving_wall") == serving["capacity_batch"]
    # ... the article's max stays beside it as the floor, speculative like the CLI's --mtp ...
    assert value("capacity_wall") == floor["capacity_batch"]
    assert value("crossover") == floor["crossover_batch"]
    assert value("latency") == pytest.approx(floor["verify_latency_s"], rel=1e-12)
    for name in ("t_compute", "t_memory"):
        assert value(name) == pytest.approx(floor[f"{name}_s"], rel=1e-12), name
    assert f"the article's max: {format_time(floor['time_per_token_s'])}" in per_token
    # ... and every readout on the page is what CPython computes for the same state.
    expected = REALISTIC.readouts(state)
    for name in REAL_READOUT_NAMES:
        if name in shown:
            assert shown[name] == [expected[name].raw, expected[name].text], name
