"""The frontier in the simulator (issue 13): the target, the two readouts, the chart, speculation; both modes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from roofline import frontier
from roofline.speculative import DEFAULT_ACCEPTANCE, mtp_speculation
from roofline.web import article as sim
from roofline.web import realistic as real
from roofline.web.article import ARTICLE
from roofline.web.frontier_view import FRONTIER_READOUT_NAMES, frontier_figure
from roofline.web.realistic import REALISTIC

MODES = [ARTICLE, REALISTIC]


def _core(mode, state) -> frontier.FrontierReport:  # type: ignore[no-untyped-def]
    """The core's report, computed here without the view."""
    if mode is ARTICLE:
        lines = frontier.article_lines(state.params)
    else:
        lines = frontier.deployment_lines(real.deployment_of(state), real.speculation_of(state))
    target = None if state.tpot_target_ms is None else state.tpot_target_ms / 1e3
    return frontier.evaluate_frontier(lines, target, state.max_batch)


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.name)
@pytest.mark.parametrize("tpot", ["", "tpot=5", "tpot=50", "tpot=70", "tpot=250", "tpot=10000"])
def test_readouts_are_the_cores_choice(mode, tpot: str) -> None:  # type: ignore[no-untyped-def]
    query = "&".join(part for part in ("mode=real" if mode is REALISTIC else "", tpot) if part)
    state, notices = mode.parse(query)
    assert notices == []
    report = _core(mode, state)
    shown = mode.readouts(state)
    assert set(FRONTIER_READOUT_NAMES) <= set(shown) and set(FRONTIER_READOUT_NAMES) <= set(mode.readout_names)
    batch = report.choice.batch
    assert shown["chosen_batch"].value == (None if batch is None else float(batch))
    assert shown["chosen_batch"].text == ("none" if batch is None else frontier.format_batch(batch))
    assert shown["binding_limit"].value == report.choice.limit.value
    assert shown["binding_sentence"].text == report.sentence


def test_the_article_default_and_a_target_it_cannot_meet() -> None:
    shown = ARTICLE.readouts(sim.DEFAULT_STATE)
    assert (shown["chosen_batch"].value, shown["binding_limit"].value) == (600.0, "crossover")
    state, _ = ARTICLE.parse("tpot=50")  # the fastest token takes 60 ms
    shown = ARTICLE.readouts(state)
    assert shown["chosen_batch"].value is None and shown["chosen_batch"].raw == ""
    assert shown["binding_limit"].value == "latency" and "No batch meets the 50 ms target" in shown["binding_sentence"].text


def test_the_realistic_default_is_bound_by_memory_and_a_tight_target_by_latency() -> None:
    shown = REALISTIC.readouts(REALISTIC.default)
    assert shown["binding_limit"].value == "memory" and shown["chosen_batch"].value == 49.0
    state, _ = REALISTIC.parse("mode=real&tpot=5")
    shown = REALISTIC.readouts(state)
    assert shown["binding_limit"].value == "latency" and shown["chosen_batch"].value < 49


@pytest.mark.parametrize(("query", "ms"), [("tpot=50", 50.0), ("tpot=2.5", 2.5), ("tpot=0.5", 1.0), ("tpot=20000", 10_000.0)])
def test_tpot_is_read_in_milliseconds_and_clamped_to_its_slider(query: str, ms: float) -> None:
    for mode, prefix in ((ARTICLE, ""), (REALISTIC, "mode=real&")):
        state, notices = mode.parse(prefix + query)
        assert state.tpot_target_ms == ms
        assert bool(notices) == (ms != float(query.split("=")[1]))
        again, more = mode.parse(mode.encode(state))
        assert (again, more) == (state, []) and "tpot=" in mode.encode(state)


@pytest.mark.parametrize("raw", ["NaN", "0", "-5", "fast", "", "inf", "1e12", "3.6G"])
def test_a_bad_tpot_is_dropped_with_a_notice_naming_it(raw: str) -> None:
    for mode, prefix in ((ARTICLE, ""), (REALISTIC, "mode=real&")):
        state, notices = mode.parse(f"{prefix}tpot={raw}")
        assert state.tpot_target_ms is None
        assert len(notices) == 1 and notices[0].startswith("tpot=") and notices[0].endswith("using no target.")
        assert "tpot" not in mode.encode(state)


def test_no_target_is_absent_from_the_url_and_the_target_switches_on_and_off() -> None:
    for mode in MODES:
        assert "tpot" not in mode.encode(mode.default)
        on = mode.with_optional(mode.default, "tpot", True)
        assert on.tpot_target_ms == 50.0 and "tpot=50" in mode.encode(on)
        assert mode.with_optional(on, "tpot", False) == mode.default
        # Moving the slider while it is off switches it on.
        moved = mode.with_value(mode.default, "tpot", 20.0)
        assert moved.tpot_target_ms == 20.0
        shown = mode.controls_snapshot(mode.default)["tpot"]
        assert shown["enabled"] is False and shown["text"] == "no target" and shown["entry"] == ""
        assert mode.controls_snapshot(moved)["tpot"]["enabled"] is True


def _roles(figure: dict) -> dict[str, dict]:
    return {trace["meta"]: trace for trace in figure["data"]}


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_article_frontier_figure_by_role(scheme: str) -> None:
    state, _ = ARTICLE.parse("tpot=70")
    figure = frontier_figure(ARTICLE, state, scheme)
    json.dumps(figure, allow_nan=False)
    report = _core(ARTICLE, state)
    roles = _roles(figure)
    assert set(roles) == {"max", "chosen", "now", "target"}
    curve = roles["max"]
    assert curve["x"] == [p.tokens_per_s_per_user for p in report.points]
    assert curve["y"] == [p.tokens_per_s_per_gpu for p in report.points]
    assert curve["customdata"][0] == "1" and curve["customdata"][-1] == "2,048"
    assert "B = %{customdata}" in curve["hovertemplate"]
    assert roles["chosen"]["customdata"] == ["600"]
    now = frontier.point(frontier.article_lines(state.params), 128)
    assert roles["now"]["x"] == [now.tokens_per_s_per_user] and roles["now"]["customdata"] == ["128"]
    assert roles["target"]["x"] == [frontier.rate_for_target(0.07)] * 2
    assert figure["layout"]["xaxis"]["type"] == "log" and figure["layout"]["xaxis"]["title"]["text"] == "tokens/s per user"
    assert figure["layout"]["yaxis"]["title"]["text"] == "tokens/s per chip"


def test_realistic_frontier_draws_the_memory_wall_and_what_lies_past_it() -> None:
    figure = frontier_figure(REALISTIC, REALISTIC.default)
    roles = _roles(figure)
    assert {"max", "muted", "wall", "chosen", "now"} <= set(roles) and "target" not in roles
    assert roles["wall"]["customdata"] == ["49"]
    assert max(int(b.replace(",", "")) for b in roles["max"]["customdata"]) == 49
    assert min(int(b.replace(",", "")) for b in roles["muted"]["customdata"]) == 49


def test_a_target_off_the_chart_is_named_not_drawn() -> None:
    state, _ = ARTICLE.parse("tpot=1")
    figure = frontier_figure(ARTICLE, state)
    assert "target" not in _roles(figure)
    assert "none meets it" in figure["layout"]["annotations"][0]["text"]


def test_nothing_fits_still_draws_and_says_so() -> None:
    state, _ = REALISTIC.parse("mode=real&gpus=1")
    shown = REALISTIC.readouts(state)
    assert shown["chosen_batch"].value is None and shown["binding_limit"].value == "memory"
    assert shown["binding_sentence"].text.startswith("No batch fits in memory")
    figure = frontier_figure(REALISTIC, state)
    assert set(_roles(figure)) == {"muted", "now"}


# ---------------------------------------------------------------- speculative decoding (realistic only)


def test_speculation_defaults_come_from_the_cited_figure() -> None:
    d = REALISTIC.default
    assert (d.speculation, d.draft_tokens, d.acceptance) == (False, DEFAULT_ACCEPTANCE.draft_tokens, DEFAULT_ACCEPTANCE.acceptance)
    on, notices = REALISTIC.parse("mode=real&spec=1")
    assert notices == [] and real.speculation_of(on) == mtp_speculation()
    assert REALISTIC.encode(on).endswith("&spec=1")
    assert real.speculation_of(REALISTIC.default) is None


def test_speculation_shifts_the_frontier_and_keeps_the_plain_one_to_compare() -> None:
    state, notices = REALISTIC.parse("mode=real&spec=1&draft=2&accept=0.8")
    assert notices == [] and (state.draft_tokens, state.acceptance) == (2, 0.8)
    assert REALISTIC.parse(REALISTIC.encode(state)) == (state, [])
    figure = frontier_figure(REALISTIC, state)
    plain = next(t for t in figure["data"] if t["name"] == "no speculation")
    shifted = _roles(figure)["max"]
    lines = frontier.deployment_lines(real.deployment_of(state), mtp_speculation(draft_tokens=2, acceptance=0.8))
    assert shifted["x"][0] == frontier.point(lines, 1).tokens_per_s_per_user
    plain_lines = frontier.deployment_lines(real.deployment_of(state))
    batches = [int(b.replace(",", "")) for b in plain["customdata"]]
    assert plain["x"] == [p.tokens_per_s_per_user for p in frontier.frontier(plain_lines, batches)]
    # At the current B (256, memory-bound) each user gets more tokens: the frontier moves right.
    # (At B = 1 the drafter's own read and the extra experts cost more than it gains.)
    now = _roles(figure)["now"]
    assert now["x"][0] > frontier.point(plain_lines, 256).tokens_per_s_per_user
    assert REALISTIC.readouts(state)["binding_sentence"].text == _core(REALISTIC, state).sentence


@pytest.mark.parametrize(
    ("query", "key"), [("spec=maybe", "spec"), ("draft=0", "draft"), ("draft=2.5", "draft"), ("accept=1.5", "accept"), ("accept=-1", "accept")]
)
def test_bad_speculation_values_get_a_notice(query: str, key: str) -> None:
    state, notices = REALISTIC.parse(f"mode=real&spec=1&{query}")
    assert any(n.startswith(f"{key}=") for n in notices)
    assert REALISTIC.fits(state) and isinstance(state.draft_tokens, int)
    assert 0 < state.acceptance <= 1


def test_snapshots_of_both_modes_carry_the_frontier_in_both_schemes() -> None:
    for mode in MODES:
        snap = mode.snapshot(replace(mode.default, tpot_target_ms=40.0))
        assert set(snap["frontier"]) == {"default", "slate"}
        assert snap["frontier"]["slate"]["layout"]["font"]["color"] != snap["frontier"]["default"]["layout"]["font"]["color"]
        json.dumps(snap, allow_nan=False)
