"""The held-out protocols, the regimes, the estimate's band and its coverage (issue 22, items 3 and 4)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from roofline import band, calibration, cli, serving
from roofline.presets import HARDWARE, MODELS


@pytest.fixture(scope="module")
def points() -> tuple[calibration.Point, ...]:
    return calibration.load()


@pytest.fixture(scope="module")
def fits(points):  # type: ignore[no-untyped-def]
    return calibration.fits_without(points)


def _scaled(points, source_ids: set[str], factor: float) -> list[calibration.Point]:  # type: ignore[no-untyped-def]
    """``points`` with the measured times of ``source_ids`` multiplied by ``factor``."""
    return [replace(p, tpot_s=p.tpot_s * factor) if p.source.id in source_ids else p for p in points]


# ---------------------------------------------------------------- the protocols


@pytest.mark.parametrize("by", calibration.PROTOCOLS)
def test_a_group_out_fit_never_sees_its_held_out_group(points, by: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[frozenset[str]] = []
    real_fit = calibration.fit

    def spy(train, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(frozenset(p.source.id for p in train))
        return real_fit(train, *args, **kwargs)

    monkeypatch.setattr(calibration, "fit", spy)
    rows = calibration.leave_one_group_out(points, by)
    key = calibration.GROUPS[by]
    assert [r.group for r in rows] == list(dict.fromkeys(key(p) for p in points))
    assert len(seen) == len(rows)  # one fit per group, each on a different set
    for row, trained in zip(rows, seen, strict=True):
        held = {p.source.id for p in row.points}
        assert not held & trained and not held & set(row.trained_on)
        assert trained == set(row.trained_on) == {p.source.id for p in points if key(p) != row.group}
        assert all(key(p) == row.group for p in row.points)
        assert row.errors == calibration.errors(row.points, row.constants)


@pytest.mark.parametrize("by", calibration.PROTOCOLS)
def test_what_a_held_out_group_measured_cannot_move_its_own_constants(points, by: str) -> None:  # type: ignore[no-untyped-def]
    rows = calibration.leave_one_group_out(points, by)
    for row in rows:
        held = {p.source.id for p in row.points}
        moved = calibration.leave_one_group_out(_scaled(points, held, 2.0), by)
        again = next(r for r in moved if r.group == row.group)
        assert again.constants == row.constants
        assert again.errors == pytest.approx([(1 + e) / 2 - 1 for e in row.errors], rel=1e-12)


def test_leave_one_source_out_is_the_generic_protocol_by_source(points, fits) -> None:  # type: ignore[no-untyped-def]
    generic = calibration.leave_one_group_out(points, "source", fits=fits)
    rows = calibration.leave_one_source_out(points, fits=fits)
    assert [r.source.id for r in rows] == [g.group for g in generic]
    assert [r.errors for r in rows] == [g.errors for g in generic]
    assert [r.constants for r in rows] == [g.constants for g in generic]


def test_a_protocol_with_one_group_or_an_unknown_key_is_refused(points) -> None:  # type: ignore[no-untyped-def]
    one_chip = [p for p in points if p.source.hardware == "h100-sxm"]
    with pytest.raises(ValueError, match="leaving one chip out needs at least two"):
        calibration.leave_one_chip_out(one_chip)
    with pytest.raises(ValueError, match="by must be one of"):
        calibration.leave_one_group_out(points, "colour")


def test_engines_are_named_without_their_parenthesis(points) -> None:  # type: ignore[no-untyped-def]
    engines = {calibration.GROUPS["engine"](p) for p in points}
    assert "NVIDIA NIM for LLMs" in engines  # both NIM tables, one engine
    assert all("(" not in e for e in engines)


# ---------------------------------------------------------------- regimes


@pytest.mark.parametrize(
    ("hardware", "model", "gpus", "key"),
    [
        ("h100-sxm", "llama-3.1-8b", 1, "dense/one-gpu"),
        ("h100-sxm", "llama-3.3-70b", 2, "dense/one-node"),
        ("h100-sxm", "llama-3.3-70b", 8, "dense/one-node"),
        ("h100-sxm", "llama-3.3-70b", 16, "dense/multi-node"),
        ("h200", "deepseek-v3", 8, "moe/one-node"),
        ("h800", "deepseek-v3", 144, "moe/multi-node"),
        ("h100-pcie", "llama-3.3-70b", 4, "dense/multi-node"),  # PCIe pairs: a domain of two
    ],
)
def test_regime_of_known_deployments(hardware: str, model: str, gpus: int, key: str) -> None:
    assert band.regime_of(hardware, model, gpus).key == key
    assert band.regime_of(HARDWARE[hardware], model, gpus).key == key


def test_each_published_source_has_the_regime_it_states(points) -> None:  # type: ignore[no-untyped-def]
    regimes = {p.source.id: calibration.point_regime(p).key for p in points}
    assert regimes == {
        "deepseek-v3-production-h800": "moe/multi-node",
        "nim-1.8.0-llama-3.1-8b-h100": "dense/one-gpu",
        "nim-1.8.0-llama-3.3-70b-2xh100": "dense/one-node",
        "rtp-llm-deepseek-v3-h800": "moe/multi-node",
    }


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("h100-sxm", "llama-3.1-8b", 0), "gpus must be a whole number >= 1, got 0"),
        (("h100-sxm", "llama-3.1-8b", True), "gpus must be a whole number >= 1, got True"),
        (("nope", "llama-3.1-8b", 1), "hardware must be a preset key"),
        (("h100-sxm", "gpt-9", 1), "'gpt-9'"),
    ],
)
def test_regime_of_names_the_bad_value(args: tuple, needle: str) -> None:
    with pytest.raises(ValueError, match=needle.replace("(", r"\(")):
        band.regime_of(*args)


def test_regime_tables_split_every_held_out_point_once(points, fits) -> None:  # type: ignore[no-untyped-def]
    for by in calibration.PROTOCOLS:
        rows = calibration.leave_one_group_out(points, by, fits=fits)
        every = [e for r in rows for e in r.errors]
        for key in calibration.TABLE_KEYS:
            table = calibration.regime_table(rows, key)
            assert table[-1].value == "all" and table[-1].points == len(points)
            assert sum(r.points for r in table[:-1]) == len(points)
            assert table[-1].median_abs_error == calibration.median_abs_error(every)
            for r in table:
                assert r.median_abs_error >= abs(r.signed_median_error) or r.points % 2 == 0
                assert r.thin == (r.points < band.MIN_POINTS or r.sources < band.MIN_SOURCES)


def test_the_family_table_on_leave_one_source_out_is_the_medians_by_hand(points, fits) -> None:  # type: ignore[no-untyped-def]
    import statistics

    rows = calibration.leave_one_group_out(points, "source", fits=fits)
    table = {r.value: r for r in calibration.regime_table(rows, "family")}
    dense = [e for r in rows for p, e in zip(r.points, r.errors, strict=True) if not MODELS[p.source.model].is_moe]
    assert table["dense"].points == len(dense)
    assert table["dense"].signed_median_error == statistics.median(dense)
    assert table["moe"].single_point_sources == 2


# ---------------------------------------------------------------- the band


def test_the_committed_bands_are_a_recomputation_from_the_data(points, fits) -> None:  # type: ignore[no-untyped-def]
    assert tuple(sorted({p.source.id for p in points})) == band.BANDS_ON
    assert calibration.bands(calibration.leave_one_group_out(points, "source", fits=fits)) == band.BANDS


def test_every_committed_band_runs_low_to_high_and_gives_an_interval_the_right_way_round() -> None:
    for b in band.BANDS:
        assert -1 < b.low_error <= b.high_error
    e = serving.estimate(
        "h100-sxm",
        "llama-3.1-8b",
        gpus=1,
        precision="fp8",
        kv_precision="fp8",
        input_tokens=1000,
        output_tokens=1000,
        concurrency=50,
    )
    tb = band.band_of(e)
    chosen = band.choose(tb.regime)
    assert tb.band == chosen
    # measured = estimated / (1 + error): the largest error gives the shortest time
    assert tb.tpot_s_low == e.tpot_s / (1 + chosen.high_error)
    assert tb.tpot_s_high == e.tpot_s / (1 + chosen.low_error)
    assert tb.tpot_s_low <= tb.tpot_s_high


def test_a_regime_with_too_few_points_falls_back_to_its_family_then_to_every_regime() -> None:
    dense = band.Regime(family="dense", scale="one-gpu")
    moe = band.Regime(family="moe", scale="multi-node")
    own = band.Band(family="dense", scale="one-gpu", points=30, sources=3, low_error=-0.1, high_error=0.1)
    family = band.Band(family="dense", scale=None, points=50, sources=2, low_error=-0.2, high_error=0.2)
    every = band.Band(family=None, scale=None, points=60, sources=5, low_error=-0.3, high_error=0.3)
    thin = band.Band(family="moe", scale="multi-node", points=2, sources=2, low_error=0.0, high_error=0.0)
    assert band.choose(dense, (own, family, every)) is own
    assert band.choose(dense, (replace(own, sources=1), family, every)) is family
    assert band.choose(moe, (thin, every)) is every
    fallen = band.tpot_band(0.01, moe, (thin, every))
    assert fallen.fallback and fallen.as_dict()["band_from"] == "all"
    with pytest.raises(ValueError, match="no band for every regime"):
        band.choose(moe, (thin,))


def test_the_committed_bands_flag_what_the_data_cannot_support() -> None:
    by_key = {b.key: b for b in band.BANDS}
    assert not by_key["dense/one-gpu"].qualifies  # one source only
    assert not by_key["moe"].qualifies  # two single points
    assert band.choose(band.Regime(family="dense", scale="one-gpu")).key == "dense"
    assert band.choose(band.Regime(family="moe", scale="multi-node")).key == "all"
    assert band.choose(band.Regime(family="dense", scale="multi-node")).key == "dense"  # no data at all: the family


def test_the_band_weighs_each_source_once_whatever_its_points(points) -> None:  # type: ignore[no-untyped-def]
    rows = calibration.leave_one_group_out(points, "source")
    big = "nim-1.8.0-llama-3.1-8b-h100"
    # the same table listed twice over: twice the points, the same evidence
    doubled = [replace(r, points=r.points * 2, errors=r.errors * 2) if r.group == big else r for r in rows]
    once, twice = calibration.bands(rows), calibration.bands(doubled)
    for a, b in zip(once, twice, strict=True):
        assert (a.low_error, a.high_error) == pytest.approx((b.low_error, b.high_error), abs=0.01)
        assert b.sources == a.sources


def test_weighted_quantile() -> None:
    assert band.weighted_quantile([3.0, 1.0, 2.0], [1, 1, 1], 0.5) == 2.0
    assert band.weighted_quantile([1.0, 2.0], [1, 1], 0.0) == 1.0
    assert band.weighted_quantile([1.0, 2.0], [1, 1], 1.0) == 2.0
    assert band.weighted_quantile([0.0, 1.0], [1, 1], 0.5) == 0.5
    for bad, needle in (
        (([], [], 0.5), "at least one"),
        (([1.0], [0], 0.5), "weights must be"),
        (([1.0], [1], 1.5), "q must be"),
    ):
        with pytest.raises(ValueError, match=needle):
            band.weighted_quantile(*bad)


def test_bands_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="low_error"):
        band.Band(family=None, scale=None, points=2, sources=1, low_error=0.2, high_error=0.1)
    with pytest.raises(ValueError, match="scale must be None"):
        band.Band(family=None, scale="one-gpu", points=2, sources=1, low_error=0.0, high_error=0.1)
    with pytest.raises(ValueError, match="tpot_s must be"):
        band.tpot_band(0.0, band.Regime(family="dense", scale="one-gpu"))


# ---------------------------------------------------------------- coverage


def test_coverage_uses_a_band_built_without_the_source(points, fits) -> None:  # type: ignore[no-untyped-def]
    rows = calibration.band_coverage(points, fits=fits)
    assert {r.source.id for r in rows} == {p.source.id for p in points}
    for row in rows:
        # what the source measured moves neither its band nor its constants
        moved = calibration.band_coverage(_scaled(points, {row.source.id}, 3.0))
        again = next(r for r in moved if r.source.id == row.source.id)
        assert again.band == row.band and again.constants == row.constants
        assert row.constants == calibration.fit([p for p in points if p.source.id != row.source.id])
        assert 0 <= row.inside <= row.points


def test_coverage_counts_the_points_inside_by_hand(points, fits) -> None:  # type: ignore[no-untyped-def]
    rows = calibration.band_coverage(points, fits=fits)
    for row in rows:
        mine = [p for p in points if p.source.id == row.source.id]
        inside = 0
        for p in mine:
            est = calibration.estimate_point(p, row.constants).tpot_s
            inside += est / (1 + row.band.high_error) <= p.tpot_s <= est / (1 + row.band.low_error)
        assert inside == row.inside
    total = calibration.coverage_summary(rows)
    assert total.points == len(points) and total.nominal == pytest.approx(0.8)
    assert total.share == sum(r.inside for r in rows) / len(points)


def test_coverage_skips_what_two_sources_cannot_test(points) -> None:  # type: ignore[no-untyped-def]
    two = [p for p in points if p.source.id.startswith("nim-")]
    assert calibration.band_coverage(two) == ()
    with pytest.raises(ValueError, match="three sources"):
        calibration.coverage_summary(())


# ---------------------------------------------------------------- the CLI

_CASE = [
    "serving",
    "--hardware",
    "h100-sxm",
    "--model",
    "llama-3.1-8b",
    "--gpus",
    "1",
    "--precision",
    "fp8",
    "--kv-precision",
    "fp8",
    "--input-tokens",
    "1000",
    "--output-tokens",
    "1000",
    "--concurrency",
    "50",
]


def test_cli_json_gives_the_band_and_the_regime(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main([*_CASE, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["regime"] == "dense/one-gpu"
    assert out["band_from"] == "dense" and out["band_fallback"] is True
    b = band.choose(band.Regime(family="dense", scale="one-gpu"))
    assert out["tpot_s_low"] == out["tpot_s"] / (1 + b.high_error)
    assert out["tpot_s_high"] == out["tpot_s"] / (1 + b.low_error)
    assert out["tpot_s_low"] <= out["tpot_s_high"]


def test_cli_text_prints_the_band_beside_the_time_per_token(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(_CASE) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("time per output token"))
    assert "band" in line and "dense, one GPU" in line and "percentile of held-out errors" in line


def test_cli_text_flags_a_band_from_every_regime(capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["serving", "--hardware", "h800", "--model", "deepseek-v3", "--gpus", "16", "--kv-precision", "fp8"]
    assert cli.main([*args, "--input-tokens", "1000", "--output-tokens", "1000", "--concurrency", "50"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("time per output token"))
    assert "MoE, several nodes" in line and "those of every regime" in line


def _with(flag: str, value: str) -> list[str]:
    """:data:`_CASE` with ``flag`` set to ``value`` (added when it is not there)."""
    if flag not in _CASE:
        return [*_CASE, flag, value]
    args = list(_CASE)
    args[args.index(flag) + 1] = value
    return args


@pytest.mark.parametrize(
    ("flag", "value", "needle"),
    [("--gpus", "0", "--gpus"), ("--model", "gpt-9", "gpt-9"), ("--tp", "3", "3")],
)
def test_cli_bad_input_still_exits_2_with_one_line(capsys, flag: str, value: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    try:
        code = cli.main([*_with(flag, value), "--json"])
    except SystemExit as stop:  # argparse's own refusals exit from inside
        code = stop.code
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and needle in captured.err
