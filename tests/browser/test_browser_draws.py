"""The simulator's painter draws a chart again only when its figure changed.

Each chart element counts its draws in ``data-draws`` (``simulator.js``);
Python's renders are counted in the widget's ``data-renders``. A render
that leaves a chart's figure as it was must not redraw that chart; one that
changes it (a slider, light/dark, the other mode) must.
"""

from __future__ import annotations

import pytest
from conftest import READY_TIMEOUT_MS

pytestmark = pytest.mark.browser

CHARTS = ("sim-chart", "sim-frontier", "sim-econ")


def draws(page) -> dict[str, int]:
    """How many times each chart element has been drawn."""
    return page.evaluate(
        "ids => Object.fromEntries(ids.map(id => [id, Number(document.getElementById(id).dataset.draws || 0)]))",
        list(CHARTS),
    )


def renders(page) -> int:
    return int(page.get_attribute("#simulator", "data-renders") or 0)


def wait_render(page, count: int) -> None:
    """Wait until Python has rendered ``count`` times in all (a readiness signal, no sleep)."""
    page.wait_for_function(
        "n => Number(document.getElementById('simulator').dataset.renders || 0) >= n", arg=count,
        timeout=READY_TIMEOUT_MS,
    )


def test_only_charts_whose_figure_changed_are_drawn_again(page, site_url: str) -> None:
    page.goto(f"{site_url}simulator/")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    # The pre-rendered paint drew both article charts once; the realistic one waits for its mode.
    start = draws(page)
    assert start == {"sim-chart": 1, "sim-frontier": 1, "sim-econ": 0}

    # A latency target changes the frontier (its line, the batch chosen) but not the step-time chart.
    count = renders(page)
    page.locator("#sim-tpot-on").check()
    wait_render(page, count + 1)
    after_target = draws(page)
    assert after_target["sim-frontier"] == start["sim-frontier"] + 1
    assert after_target["sim-chart"] == start["sim-chart"]

    # Typing the value L already has, written another way: Python renders, and neither figure changed.
    assert page.input_value("#sim-L-entry") == "8192"
    count = renders(page)
    page.fill("#sim-L-entry", "8.192K")
    page.press("#sim-L-entry", "Enter")
    wait_render(page, count + 1)
    assert draws(page) == after_target

    # B moves a marker on each chart: both are drawn again, the step-time chart's traces as they were.
    traces = page.evaluate("JSON.stringify(document.getElementById('sim-chart').data)")
    count = renders(page)
    page.fill("#sim-B-entry", "256")
    page.press("#sim-B-entry", "Enter")
    wait_render(page, count + 1)
    after_b = draws(page)
    assert after_b["sim-chart"] == after_target["sim-chart"] + 1
    assert after_b["sim-frontier"] == after_target["sim-frontier"] + 1
    assert page.evaluate("document.getElementById('sim-chart').layout.shapes.at(-1).x0") == 256
    assert page.evaluate("JSON.stringify(document.getElementById('sim-chart').data)") == traces
    now = page.evaluate("document.getElementById('sim-frontier').data.find(t => t.meta === 'now').customdata")
    assert now == ["256"]
    after_target = after_b

    # L moves both lines and the whole frontier: both are drawn again, with the new traces.
    count = renders(page)
    page.fill("#sim-L-entry", "500K")
    page.press("#sim-L-entry", "Enter")
    wait_render(page, count + 1)
    after_l = draws(page)
    assert after_l["sim-chart"] == after_target["sim-chart"] + 1
    assert after_l["sim-frontier"] == after_target["sim-frontier"] + 1
    # What is drawn is the new figure (the memory line's far end moved, in the data and on screen).
    assert page.evaluate("document.getElementById('sim-chart').data[1].y[1]") > 60.2
    assert page.evaluate("document.getElementById('sim-chart').calcdata[1].at(-1).y") > 60.2

    # Light/dark: every figure is re-coloured, so every shown chart is drawn again.
    light = page.eval_on_selector("#sim-chart", "el => el.layout.font.color")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("c => document.getElementById('sim-chart').layout.font.color !== c", arg=light)
    page.wait_for_function("n => Number(document.getElementById('sim-frontier').dataset.draws) > n",
                           arg=after_l["sim-frontier"])
    after_dark = draws(page)
    assert after_dark["sim-chart"] == after_l["sim-chart"] + 1
    assert after_dark["sim-frontier"] == after_l["sim-frontier"] + 1

    # The other mode draws its own figures into the shared charts, and its economics chart.
    page.locator("input[name=sim-mode][value=real]").check()
    page.wait_for_function("() => Number(document.getElementById('sim-econ').dataset.draws || 0) === 1")
    real = draws(page)
    assert real["sim-chart"] == after_dark["sim-chart"] + 1
    assert real["sim-frontier"] == after_dark["sim-frontier"] + 1

    # And back: the article's figures again, though the article's state did not change.
    count = renders(page)
    page.locator("input[name=sim-mode][value=article]").check()
    wait_render(page, count + 1)
    back = draws(page)
    assert back["sim-chart"] == real["sim-chart"] + 1
    assert back["sim-frontier"] == real["sim-frontier"] + 1
    assert back["sim-econ"] == real["sim-econ"]

    # The realistic mode once more, its state unchanged: its hidden chart is drawn afresh as it shows.
    count = renders(page)
    page.locator("input[name=sim-mode][value=real]").check()
    wait_render(page, count + 1)
    assert draws(page)["sim-econ"] == real["sim-econ"] + 1
