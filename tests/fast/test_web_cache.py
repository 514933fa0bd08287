"""What the simulator remembers between inputs gives the same answers as computing afresh.

``roofline.web`` keeps a few things from one render to the next (each
slider's texts, the frontier and its lines, the article's step, the
realistic mode's crossover), so a slider move recomputes only what it
changes. These tests check each against a fresh computation, that a key
holds everything the answer depends on, and that callers cannot corrupt them.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from roofline import deployment as dep
from roofline import frontier
from roofline.units import format_si_exact
from roofline.web import article, controls, frontier_view, mode, realistic
from roofline.web.article import ARTICLE, DEFAULT_STATE
from roofline.web.charts import CHARTS
from roofline.web.realistic import DEFAULT_REAL_STATE, REALISTIC


def _forget() -> None:
    mode._VIEWS.clear()
    frontier_view._REPORTS.clear()
    controls.exact_text.cache_clear()
    article._params.cache_clear()
    article._evaluated.cache_clear()
    realistic._crossover.cache_clear()
    frontier_view._batch_text.cache_clear()


def _fresh_snapshot(m, state) -> dict:  # type: ignore[no-untyped-def]
    _forget()
    return m.snapshot(state)


ARTICLE_STATES = [
    DEFAULT_STATE,
    replace(DEFAULT_STATE, batch=900.0),
    replace(DEFAULT_STATE, max_batch=4096.0),
    replace(DEFAULT_STATE, context_tokens=500_000.0, tpot_target_ms=40.0),
    replace(DEFAULT_STATE, kv_bytes_per_element=1.0, batch=1.0),
]
REAL_STATES = [
    DEFAULT_REAL_STATE,
    replace(DEFAULT_REAL_STATE, batch=64.0),
    replace(DEFAULT_REAL_STATE, context_tokens=128_000.0, speculation=True, tpot_target_ms=30.0),
    replace(DEFAULT_REAL_STATE, hardware="h100-sxm", gpus=1),  # nothing fits
]


@pytest.mark.parametrize(("m", "states"), [(ARTICLE, ARTICLE_STATES), (REALISTIC, REAL_STATES)])
def test_snapshots_after_other_states_equal_fresh_ones(m, states) -> None:  # type: ignore[no-untyped-def]
    fresh = [json.dumps(_fresh_snapshot(m, s)) for s in states]
    # Every state after every other, with the caches warm: the same JSON.
    _forget()
    for _ in range(2):
        for state, expected in zip(states, fresh, strict=True):
            assert json.dumps(m.snapshot(state)) == expected


def test_a_slider_view_depends_on_its_range() -> None:
    # The B slider's range ends at max B: the same B sits elsewhere on a longer slider.
    short = ARTICLE.controls_snapshot(DEFAULT_STATE)["B"]
    long = ARTICLE.controls_snapshot(replace(DEFAULT_STATE, max_batch=8192.0))["B"]
    assert short["max"] == long["max"] == controls.LOG_STEPS
    assert short["position"] > long["position"]
    assert short["range"] != long["range"]


def test_changing_a_snapshot_does_not_change_the_next() -> None:
    first = ARTICLE.snapshot(DEFAULT_STATE)
    first["controls"]["L"]["text"] = "changed"
    assert ARTICLE.snapshot(DEFAULT_STATE)["controls"]["L"]["text"] == "8.19K tok"


def test_moving_b_reuses_the_frontier_and_moves_only_its_marker() -> None:
    _forget()
    moved = replace(DEFAULT_STATE, batch=900.0)
    report, _ = frontier_view.frontier_report(ARTICLE, DEFAULT_STATE)
    again, _ = frontier_view.frontier_report(ARTICLE, moved)
    assert again is report
    # ...which is the report the core gives at that B.
    assert again == frontier.evaluate_frontier(frontier.article_lines(moved.params), None, moved.max_batch)
    chart = next(c for c in CHARTS if c.key == "frontier")
    before, after = chart.draw(ARTICLE, DEFAULT_STATE, "default"), chart.draw(ARTICLE, moved, "default")
    changed = [i for i, (a, b) in enumerate(zip(before["data"], after["data"], strict=True)) if a != b]
    assert [before["data"][i]["meta"] for i in changed] == ["now"]
    assert before["layout"] == after["layout"]


def test_a_different_target_is_a_different_frontier() -> None:
    low, _ = frontier_view.frontier_report(ARTICLE, replace(DEFAULT_STATE, tpot_target_ms=40.0))
    high, _ = frontier_view.frontier_report(ARTICLE, replace(DEFAULT_STATE, tpot_target_ms=400.0))
    assert low.choice.batch != high.choice.batch


def test_exact_text_is_the_units_formatter() -> None:
    for value in (8192.0, 8e9, 2.5e-3, 1, 1.0, 989.45e12, 0.1 + 0.2):
        assert controls.exact_text(value) == format_si_exact(value)


def test_the_realistic_crossover_is_the_deployment_models() -> None:
    for state in REAL_STATES:
        d = realistic.deployment_of(state)
        assert realistic._crossover(d) == dep.deployment_crossover_batch(d)
