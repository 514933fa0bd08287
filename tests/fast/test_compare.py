"""The compare page's view (roofline.web.compare) under CPython: its URL, its notices, its readouts and exports."""

from __future__ import annotations

import contextlib
import csv
import io
import json

import pytest

from roofline.cli import main
from roofline.web.compare import COMPARE, DEFAULT_DEPLOYMENTS, MAX_DEPLOYMENTS, command, result, rows


def cli_json(args: list[str]) -> dict:
    """What ``roofline <args>`` prints, parsed, run in this process (the same function the console script calls)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    assert status == 0
    return json.loads(out.getvalue())


def test_the_default_comparison_is_four_deployments_of_deepseek_v3_with_no_notice() -> None:
    state, notices = COMPARE.parse("")
    assert notices == []
    assert state.model == "deepseek-v3" and len(state.deployments) == 4
    assert [d.hardware for d in state.deployments] == ["h200", "h200", "b200", "mi300x"]
    assert state.deployments == DEFAULT_DEPLOYMENTS


@pytest.mark.parametrize(
    "query",
    [
        "",
        "model=llama-3.1-70b&isl=8K&osl=512&tpot=off&hw1=h100-sxm&gpus1=4&wprec1=bf16&kvprec1=bf16",
        "hw1=h200&gpus1=8&tp1=8&ep1=8&dpa1=1&spec1=1&accept1=0.7&hw2=mi325x&gpus2=8&price2=3.5&pp2=2",
    ],
)
def test_a_comparison_reads_back_from_its_own_url(query: str) -> None:
    state, notices = COMPARE.parse(query)
    assert notices == []
    again, more = COMPARE.parse(COMPARE.encode(state))
    assert again == state and more == []


def test_the_url_holds_every_deployment_field_and_the_workload() -> None:
    state, _ = COMPARE.parse("model=llama-3.1-70b&isl=2K&osl=300&tpot=25&hw1=b200&gpus1=2&wprec1=fp8&price1=4")
    query = COMPARE.encode(state)
    for pair in ("model=llama-3.1-70b", "isl=2000", "osl=300", "tpot=25", "hw1=b200", "gpus1=2", "price1=4"):
        assert pair in query.split("&")


def test_an_unknown_chip_is_named_and_the_rest_still_shows() -> None:
    state, notices = COMPARE.parse("hw1=h200&gpus1=8&hw2=h900&gpus2=8&hw3=b200&gpus3=8")
    assert [d.hardware for d in state.deployments] == ["h200", "b200"]
    assert len(notices) == 1 and "hw2='h900'" in notices[0] and "Deployment 2" in notices[0]


def test_a_layout_that_does_not_divide_the_chips_is_named_and_falls_back() -> None:
    state, notices = COMPARE.parse("hw1=h200&gpus1=8&tp1=3&hw2=b200&gpus2=8")
    assert len(state.deployments) == 2
    assert len(notices) == 1
    assert notices[0].startswith("Deployment 1: tp1=3 does not divide the 8 GPUs")
    assert "engine default tp8" in notices[0]
    assert all(result(state, d).sizing is not None for d in state.deployments)


def test_more_than_four_deployments_are_named_and_the_first_four_show() -> None:
    query = "&".join(f"hw{n}=h200&gpus{n}=8" for n in range(1, 7))
    state, notices = COMPARE.parse(query)
    assert len(state.deployments) == MAX_DEPLOYMENTS
    assert len(notices) == 2
    assert notices[0].startswith("Deployment 5 (hw5=h200") and "at most 4" in notices[0]
    assert notices[1].startswith("Deployment 6")


def test_bad_workload_values_are_named() -> None:
    state, notices = COMPARE.parse("model=gpt-9&isl=abc&osl=0&tpot=1e9")
    assert state.model == "deepseek-v3" and state.input_tokens == 1000 and state.output_tokens == 1000
    assert state.tpot_target_ms == 50
    assert [n.split("=")[0] for n in notices] == ["model", "isl", "osl", "tpot"]


def test_n_active_is_not_a_compare_key() -> None:
    """The compare page has no N_active to override: the key is named as unknown, not applied."""
    state, notices = COMPARE.parse("N_active=900G")
    assert notices == ["Ignored unknown parameter 'N_active'."]
    assert state.deployments == DEFAULT_DEPLOYMENTS


def test_an_input_goes_through_the_url_parser() -> None:
    state, _ = COMPARE.parse("")
    changed, notices = COMPARE.with_input(state, "hw3", "h100-sxm")
    assert notices == [] and changed.deployments[2].hardware == "h100-sxm"
    bad, notices = COMPARE.with_input(state, "gpus1", "-3")
    assert bad.deployments[0].gpus == 8 and notices and notices[0].startswith("Deployment 1: gpus1=-3")


def test_adding_and_removing_keep_between_one_and_four() -> None:
    state, _ = COMPARE.parse("hw1=h200&gpus1=8")
    more = COMPARE.added(state)
    assert len(more.deployments) == 2 and more.deployments[1] == more.deployments[0]
    assert COMPARE.removed(state, 1) == state
    four = COMPARE.parse("")[0]
    assert COMPARE.added(four) == four
    assert [d.hardware for d in COMPARE.removed(four, 2).deployments] == ["h200", "b200", "mi300x"]


def test_the_readouts_are_the_sizing_the_cli_prints() -> None:
    state, _ = COMPARE.parse("")
    for d in state.deployments:
        s = result(state, d).sizing
        assert s is not None
        named = {r.name: r for r in rows(state, d)}
        assert named["chosen_batch"].value == s.chosen_batch
        assert named["binding_limit"].value == "latency"
        assert named["tpot_s"].value == s.estimate.tpot_s <= 0.05
        assert named["usd_per_million_input_tokens"].value == s.estimate.usd_per_million_input_tokens
        assert named["capacity_batch"].value == s.estimate.capacity_batch
        assert s.band.tpot_s_low <= s.band.tpot_s_high


@pytest.mark.parametrize(
    "query",
    [
        "",
        "tpot=off&hw1=h200&gpus1=8&dpa1=1&ep1=8&tp1=8&spec1=1&draft1=2&accept1=0.6&hw2=a100-sxm&gpus2=16&wprec2=w8a16",
        "model=llama-3.1-8b&isl=4K&osl=256&tpot=12.5&hw1=h100-sxm&gpus1=1&ideal1=1&price1=2.75",
    ],
)
def test_each_deployments_json_is_what_roofline_serving_prints(query: str) -> None:
    state, notices = COMPARE.parse(query)
    assert notices == []
    exported = json.loads(COMPARE.exports(state, notices)["json"])
    assert exported["query"] == COMPARE.encode(state)
    assert len(exported["deployments"]) == len(state.deployments)
    for entry, d in zip(exported["deployments"], state.deployments, strict=True):
        args = command(state, d)
        assert entry["command"] == "roofline " + " ".join(args)
        assert entry["serving"] == cli_json(args)
        assert [p["batch"] for p in entry["frontier"]] == sorted(p["batch"] for p in entry["frontier"])


def test_the_csv_exports_have_a_row_per_deployment_and_per_point() -> None:
    state, _ = COMPARE.parse("")
    exports = COMPARE.exports(state, [])
    readouts = list(csv.DictReader(io.StringIO(exports["readouts_csv"])))
    assert [int(r["deployment"]) for r in readouts] == [1, 2, 3, 4]
    assert float(readouts[1]["usd_per_million_output_tokens"]) == pytest.approx(
        result(state, state.deployments[1]).sizing.estimate.usd_per_million_output_tokens  # type: ignore[union-attr]
    )
    points = list(csv.DictReader(io.StringIO(exports["frontier_csv"])))
    assert {int(p["deployment"]) for p in points} == {1, 2, 3, 4}
    assert all(float(p["tokens_per_s_per_gpu"]) > 0 for p in points)


def test_a_deployment_that_does_not_fit_says_so_and_the_rest_still_shows() -> None:
    state, notices = COMPARE.parse("hw1=rtx-4090&gpus1=1&hw2=h200&gpus2=8")
    assert notices == []
    first, second = (result(state, d) for d in state.deployments)
    assert first.sizing is None and first.problem and first.problem.startswith("does not fit")
    assert second.sizing is not None
    figure = COMPARE.figure(state)
    assert next(t["name"] for t in figure["data"] if t["mode"] == "lines").startswith("2:")
    assert json.loads(COMPARE.exports(state, [])["json"])["deployments"][0]["serving"] is None


def test_the_chart_overlays_one_frontier_per_deployment_with_the_target() -> None:
    state, _ = COMPARE.parse("")
    for scheme in ("default", "slate"):
        figure = COMPARE.figure(state, scheme)
        lines = [t for t in figure["data"] if t["mode"] == "lines" and t["meta"] != "target"]
        assert len(lines) == 4
        assert len({t["line"]["color"] for t in lines}) == 4
        target = [t for t in figure["data"] if t["meta"] == "target"]
        assert len(target) == 1 and target[0]["x"] == [20.0, 20.0]
        assert figure["layout"]["xaxis"]["type"] == "log"


def test_the_snapshot_is_json_and_names_every_deployment() -> None:
    state, notices = COMPARE.parse("")
    snap = COMPARE.snapshot(state, notices)
    json.dumps(snap)
    assert snap["count"] == 4 and set(snap["figures"]) == {"default", "slate"}
    for number in range(1, 5):
        assert f'id="cmp-{number}"' in snap["html"]
        assert f'data-cmp-key="hw{number}"' in snap["html"]


# ---------------------------------------------------------------- the simulator's exports (roofline.web.export)


@pytest.mark.parametrize(
    ("mode_name", "query"),
    [
        ("article", ""),
        ("article", "B=512&N_active=10G&tpot=80"),
        ("real", "mode=real"),
        ("real", "mode=real&hw=mi300x&model=llama-3.1-70b&gpus=4&wprec=fp8&L=8K&B=64&tpot=30&attn=0&moe=0"),
        ("real", "mode=real&tp=8&ep=8&dpa=1&spec=1&draft=2&accept=0.7&C=900T&N_active=30G&aprec=bf16"),
    ],
)
def test_the_simulators_json_is_what_the_cli_prints_in_another_process(mode_name: str, query: str) -> None:
    import subprocess
    import sys

    from roofline.web.export import exports
    from roofline.web.page import mode_named

    mode = mode_named(mode_name)
    state, notices = mode.parse(query)
    assert notices == []
    exported = json.loads(exports(mode, state)["json"])
    assert exported["query"] == mode.encode(state) and exported["note"] is None
    argv = exported["command"].split()[1:]
    printed = subprocess.run([sys.executable, "-m", "roofline", *argv], capture_output=True, text=True, timeout=60)
    assert printed.returncode == 0, printed.stderr
    assert exported["cli"] == json.loads(printed.stdout)
    readouts = {row["name"]: row for row in csv.DictReader(io.StringIO(exports(mode, state)["readouts_csv"]))}
    assert readouts["latency"]["text"] == mode.readouts(state)["latency"].text


def test_a_simulator_state_the_cli_cannot_spell_says_so() -> None:
    from roofline.web.export import exports
    from roofline.web.realistic import REALISTIC

    state, _ = REALISTIC.parse("mode=real&HBM=80G")
    exported = json.loads(exports(REALISTIC, state)["json"])
    assert exported["command"] is None and exported["cli"] is None and "HBM" in exported["note"]


def test_the_memory_snapshot_holds_the_compare_pages_modules() -> None:
    """One Python heap boots both pages: what the compare page imports is in it, compiled."""
    from roofline_site.runtime import snapshot

    modules = set(snapshot.snapshot_modules())
    assert {"roofline.web.compare", "roofline.web.compare_browser", "roofline.sizing", "csv"} <= modules
    assert {"roofline.web.browser", "roofline.web.export", "roofline.cli"} <= modules
