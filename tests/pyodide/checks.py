"""Checks of the roofline core that run on Pyodide (no pytest there).

``run_all()`` runs every module's doctests and each ``check_*`` function
below, and returns counts. The same file runs under CPython in
tests/pyodide/test_pyodide.py, so a failure here is never Pyodide-only by accident.
"""

import doctest
import importlib
import math

MODULES = (
    "model",
    "sweep",
    "units",
    "sentences",
    "checks",
    "keyed",
    "cli.args",
    "web.query",
    "web.controls",
    "web.mode",
    "web.article",
    "web.palette",
    "web.page",
    "presets",
    "presets.schema",
    "presets.precisions",
    "cli",
    "deployment",
    "web.realistic",
    "longcontext",
    "explainer",
    "measurement",
    "frontier",
    "speculative",
    "serving",
)


def check_seed_figures():
    from roofline import SEED_DEFAULTS, evaluate

    step = evaluate(SEED_DEFAULTS)
    assert math.isclose(step.t_compute_s, 12.8e-3, rel_tol=1e-12)
    assert math.isclose(step.t_memory_s, 60.01048576e-3, rel_tol=1e-12)
    assert math.isclose(step.crossover_batch, 600.4919229833079, rel_tol=1e-12)
    assert step.regime.value == "memory-bound"


def check_no_crossover():
    from roofline import SEED_DEFAULTS, crossover_batch

    assert crossover_batch(SEED_DEFAULTS.replace(context_tokens=1e6, bandwidth_bytes_per_s=10e9)) is None


def check_bad_input_raises():
    from roofline import Params

    for bad in (0, -1, float("nan"), float("inf")):
        try:
            Params(
                batch=1,
                active_params=bad,
                compute_ops_per_s=1,
                total_params=1,
                bandwidth_bytes_per_s=1,
                context_tokens=1,
                kv_bytes_per_element=1,
            )
        except ValueError as exc:
            assert "active_params" in str(exc)
        else:
            raise AssertionError(f"active_params={bad!r} was accepted")


def check_simulator_round_trip():
    from roofline.web.article import ARTICLE
    from roofline.web.charts import time_figure

    state, notices = ARTICLE.parse("B=300&L=32K&BW=1T")
    assert notices == []
    again, _ = ARTICLE.parse(ARTICLE.encode(state))
    assert again == state
    figure = time_figure(ARTICLE, state, "slate")
    assert len(figure["data"]) >= 3


def check_long_context():
    from roofline import explainer, longcontext

    p = explainer.scenario("deepseek-h100-cache").params
    wall = longcontext.article_no_crossover_context(p)
    assert math.isclose(wall, 37e9 / 989.45e12 * 3.35e12 / 70272, rel_tol=1e-12)
    assert longcontext.crossover_at_context(p, wall * 1.01) is None
    assert math.isclose(longcontext.crossover_at_context(p, wall / 2), 2 * 671 / 37 * 989.45e12 / 3.35e12, rel_tol=1e-9)
    from roofline.web.article import ARTICLE, State

    for s in explainer.SCENARIOS.values():
        shown = State.of(s.params, s.max_batch)
        if ARTICLE.fits(shown):
            state, notices = ARTICLE.parse(ARTICLE.encode(shown))
            assert notices == [] and state == shown, s.key


def check_frontier_choice():
    from roofline import SEED_DEFAULTS
    from roofline import deployment as dep
    from roofline.frontier import article_lines, choose_batch, deployment_lines, evaluate_frontier

    choice = choose_batch(article_lines(SEED_DEFAULTS), target_s=0.06003)
    assert (choice.batch, choice.limit.value) == (366, "latency")
    d = dep.deployment(
        "h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096, layout="ideal", attention_flops=False
    )
    report = evaluate_frontier(deployment_lines(d), 0.02)
    assert (report.choice.batch, report.choice.limit.value) == (673, "latency")
    assert report.points[-1].batch == 3175


def run_all():
    passed, failed, failures = 0, 0, []
    for name in MODULES:
        module = importlib.import_module(f"roofline.{name}")
        result = doctest.testmod(module)
        passed += result.attempted - result.failed
        failed += result.failed
        if result.failed:
            failures.append(f"doctests of roofline.{name}")
    for name, check in sorted(globals().items()):
        if name.startswith("check_") and callable(check):
            try:
                check()
            except Exception as exc:  # report every failure, not just the first
                failed += 1
                failures.append(f"{name}: {exc!r}")
            else:
                passed += 1
    return {"passed": passed, "failed": failed, "failures": failures}
