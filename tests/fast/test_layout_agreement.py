"""The CLI and the simulator agree on DeepSeek-V3 and Llama-3.1-70B under each layout (issue 21's "done when")."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from roofline import cli
from roofline.web.realistic import REALISTIC

#: (simulator query, the same deployment as CLI flags), each under a layout the engines run or the idealisation.
CASES = [
    (
        "hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=4096",
        "--hardware h200 --model deepseek-v3 --gpus 8 --precision fp8 --kv-precision fp8 --context 4096",
        layout,
    )
    for layout in (("", ""), ("ideal=1", "--ideal"), ("tp=8", "--tp 8"), ("dpa=1&ep=8", "--dp-attention --ep 8"))
] + [
    (
        "hw=h100-sxm&model=llama-3.1-70b&gpus=16&wprec=fp8&kvprec=fp8&L=8192",
        "--hardware h100-sxm --model llama-3.1-70b --gpus 16 --precision fp8 --kv-precision fp8 --context 8192",
        layout,
    )
    for layout in (("", ""), ("ideal=1", "--ideal"), ("tp=16", "--tp 16"), ("tp=8&pp=2", "--tp 8 --pp 2"))
]


def cli_json(argv: list[str]) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(argv)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("query", "flags", "layout"), CASES)
@pytest.mark.parametrize("spec", [False, True])
def test_the_simulator_and_the_cli_agree_under_each_layout(
    query: str, flags: str, layout: tuple[str, str], spec: bool
) -> None:
    url = "mode=real&" + query + "&B=32" + (f"&{layout[0]}" if layout[0] else "") + ("&spec=1" if spec else "")
    state, notices = REALISTIC.parse(url)
    assert notices == []
    shown = REALISTIC.readouts(state)
    argv = [*flags.split(), "--batch", "32", *layout[1].split(), *(["--mtp"] if spec else []), "--json"]
    out = cli_json(argv)
    assert shown["layout"].value == out["layout"]
    assert shown["capacity_wall"].value == out["capacity_batch"]
    assert shown["crossover"].value == out["crossover_batch"]
    assert shown["best_batch"].value == out["best_batch"]
    assert shown["chosen_batch"].value == out["chosen_batch"]
    assert shown["throughput"].value == pytest.approx(out["tokens_per_s_per_gpu"], rel=1e-12)
    assert shown["cost"].value == pytest.approx(out["usd_per_million_tokens"], rel=1e-12)
    assert shown["t_compute"].value == pytest.approx(out["t_compute_s"], rel=1e-12)
    assert shown["t_memory"].value == pytest.approx(out["t_memory_s"], rel=1e-12)
    assert shown["weights_read"].value == pytest.approx(out["weight_bytes_read"], rel=1e-12)
