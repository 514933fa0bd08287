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


@pytest.fixture(scope="module")
def few(points) -> list[calibration.Point]:  # type: ignore[no-untyped-def]
    """Eight sources of the committed data: every publisher, dense and MoE, one GPU to several nodes,
    with and without speculation. The properties that refit once per group per group run on these
    (on all the data they take minutes; they test the code path, which is the same)."""
    keep = {
        "deepseek-v3-production-h800",
        "rtp-llm-deepseek-v3-h800",
        "nim-1.8.0-llama-3.1-8b-h100",
        "nim-1.8.0-llama-3.3-70b-2xh100",
        "vllm-pr23151-qwen3-30b-a3b-h100",
        "inferencex-dsr1-fp8-h200-sglang-0.5.9",
        "inferencex-dsr1-fp8-mi300x-sglang-0.5.9",
        "inferencex-dsr1-fp8-b200-trtllm-1.1.0rc2.post2-mtp",
    }
    chosen = [p for p in points if p.source.id in keep]
    assert {p.source.id for p in chosen} == keep
    return chosen


@pytest.mark.parametrize("by", calibration.PROTOCOLS)
def test_what_a_held_out_group_measured_cannot_move_its_own_constants(few, by: str) -> None:  # type: ignore[no-untyped-def]
    rows = calibration.leave_one_group_out(few, by)
    for row in rows:
        held = {p.source.id for p in row.points}
        moved = calibration.leave_one_group_out(_scaled(few, held, 2.0), by)
        again = next(r for r in moved if r.group == row.group)
        assert again.constants == row.constants
        assert again.errors == pytest.approx([(1 + e) / 2 - 1 for e in row.errors], rel=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("by", calibration.PROTOCOLS)
def test_what_a_held_out_group_measured_cannot_move_its_own_constants_on_all_the_data(points, by: str) -> None:  # type: ignore[no-untyped-def]
    for row in calibration.leave_one_group_out(points, by):
        held = {p.source.id for p in row.points}
        again = calibration.fits_without(_scaled(points, held, 2.0))(frozenset(held))
        assert again == row.constants


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
    by_source = {p.source.id: calibration.GROUPS["engine"](p) for p in points}
    assert {e for s, e in by_source.items() if s.startswith("nim-")} == {"NVIDIA NIM for LLMs"}
    # InferenceX's engines: the decoding engine, with Dynamo named where it schedules the workers
    assert by_source["inferencex-dsr1-fp8-b200-trtllm-1.2.0rc6.post2"] == "TensorRT-LLM"
    assert by_source["inferencex-dsr1-fp8-h200-sglang-0.5.9"] == "SGLang"
    assert by_source["inferencex-pr1053-gptoss120b-mi300x-vllm-0.17.0"] == "vLLM"
    assert by_source["inferencex-dsr1-fp8-h100x16-dynamo-sglang-0.5.8-tp16-mtp"] == "Dynamo+SGLang"
    assert by_source["inferencex-dsr1-fp8-h100x16-dynamo-trtllm-dep16"] == "Dynamo+TensorRT-LLM"
    assert calibration.engine_of("ATOM (AMD ROCm inference engine)") == "ATOM"
    assert engines == {
        "DeepSeek's in-house inference system",
        "Dynamo+SGLang",
        "Dynamo+TensorRT-LLM",
        "NVIDIA NIM for LLMs",
        "RTP-LLM",
        "SGLang",
        "TensorRT-LLM",
        "vLLM",
    }


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
    named = {
        "deepseek-v3-production-h800": "moe/multi-node",
        "nim-1.8.0-llama-3.1-8b-h100": "dense/one-gpu",
        "nim-1.8.0-llama-3.3-70b-2xh100": "dense/one-node",
        "rtp-llm-deepseek-v3-h800": "moe/multi-node",
        "vllm-pr23151-qwen3-30b-a3b-h100": "moe/one-gpu",
        "inferencex-pr1053-gptoss120b-mi300x-vllm-0.17.0": "moe/one-gpu",
    }
    for source, key in regimes.items():
        if source in named:
            assert key == named[source], source
        elif "h100x16" in source:  # one decode worker of 16 GPUs over two 8-GPU nodes
            assert key == "moe/multi-node", source
        else:  # InferenceX's DeepSeek-R1 on one 8-GPU node
            assert source.startswith("inferencex-dsr1-fp8-") or source.startswith("inferencex-issue870-"), source
            assert key == "moe/one-node", source


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
    # DeepSeek's production figure, RTP-LLM's replay and the vLLM pull request are one point each
    assert table["moe"].single_point_sources == 3
    assert table["dense"].single_point_sources == 0


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


def test_a_bands_measured_multiples_are_its_band_around_an_estimate_of_one_second() -> None:
    b = band.Band(family=None, scale=None, points=20, sources=3, low_error=-0.2, high_error=0.25)
    assert band.measured_multiples(b) == (0.8, 1.25)
    for committed in band.BANDS:
        every = replace(committed, family=None, scale=None)  # the last resort: always chosen
        tb = band.tpot_band(1.0, band.Regime(family="dense", scale="one-gpu"), (every,))
        assert band.measured_multiples(committed) == (tb.tpot_s_low, tb.tpot_s_high)


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
    assert not by_key["dense/one-node"].qualifies  # one source only
    assert not by_key["moe/one-gpu"].qualifies  # five points
    assert by_key["moe"].qualifies and by_key["moe/multi-node"].qualifies and by_key["moe/one-node"].qualifies
    assert band.choose(band.Regime(family="dense", scale="one-gpu")).key == "dense"
    assert band.choose(band.Regime(family="moe", scale="one-gpu")).key == "moe"
    assert band.choose(band.Regime(family="moe", scale="multi-node")).key == "moe/multi-node"
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


def test_coverage_uses_a_band_built_without_the_source(points, fits, few) -> None:  # type: ignore[no-untyped-def]
    rows = calibration.band_coverage(points, fits=fits)
    assert {r.source.id for r in rows} == {p.source.id for p in points}
    for row in rows:
        assert row.constants == fits(frozenset({row.source.id}))
        assert 0 <= row.inside <= row.points
    for row in calibration.band_coverage(few):
        # what the source measured moves neither its band nor its constants
        moved = calibration.band_coverage(_scaled(few, {row.source.id}, 3.0))
        again = next(r for r in moved if r.source.id == row.source.id)
        assert again.band == row.band and again.constants == row.constants
        assert row.constants == calibration.fit([p for p in few if p.source.id != row.source.id])


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


def test_cli_text_flags_a_band_from_a_wider_group(capsys) -> None:  # type: ignore[no-untyped-def]
    # MoE on one GPU has five held-out points (two sources): too few, so the band is MoE's
    args = ["serving", "--hardware", "h100-sxm", "--model", "qwen3-30b-a3b", "--gpus", "1", "--precision", "bf16"]
    assert cli.main([*args, "--input-tokens", "1000", "--output-tokens", "1000", "--concurrency", "10"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("time per output token"))
    assert "MoE, one GPU" in line and "those of MoE" in line


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


# ---------------------------------------------------------------- what the files state beyond the old fields


def _body(stem: str) -> dict:
    return json.loads((calibration.default_directory() / f"{stem}.json").read_text(encoding="utf-8"))


def test_stated_dp_attention_sets_the_layout_and_contradictions_are_refused() -> None:
    body = _body("inferencex-dsr1-fp8-h100x16-dynamo-trtllm-dep16")
    assert body["source"]["parallelism"]["dp_attention"] is True
    assert calibration.validate(body, "f.json")[0].source.layout.key == "tp16-ep16-dpa"
    # DP attention stated over tensor 16 (the chips): still DP attention, as stated
    body["source"]["parallelism"]["tensor"] = 16
    assert calibration.validate(body, "f.json")[0].source.layout.key == "tp16-ep16-dpa"
    body["source"]["parallelism"]["expert"] = 1
    with pytest.raises(ValueError, match=r"f\.json: parallelism: .*DP attention needs expert > 1"):
        calibration.validate(body, "f.json")
    body = _body("inferencex-dsr1-fp8-h100x16-dynamo-trtllm-dep16")
    body["source"]["parallelism"]["dp_attention"] = False  # tensor 1 on 16 GPUs without DP attention: replicas
    with pytest.raises(ValueError, match=r"f\.json: parallelism: .*without DP attention"):
        calibration.validate(body, "f.json")
    body["source"]["parallelism"]["dp_attention"] = "yes"
    with pytest.raises(ValueError, match=r"f\.json: parallelism\.dp_attention must be true, false or null, got 'yes'"):
        calibration.validate(body, "f.json")


def test_files_without_dp_attention_still_infer_it_from_the_sizes() -> None:
    body = _body("deepseek-v3-production-h800")
    assert "dp_attention" not in body["source"]["parallelism"]
    assert calibration.validate(body, "f.json")[0].source.layout.key == "tp144-ep144-dpa"


def test_stated_speculation_is_modelled_with_the_stated_draft_and_the_fitted_or_cited_acceptance() -> None:
    from roofline.speculative import DEFAULT_ACCEPTANCE

    body = _body("inferencex-dsr1-fp8-b200-trtllm-1.1.0rc2.post2-mtp")
    point = calibration.validate(body, "f.json")[0]
    cited = point.source.speculation()  # no acceptance fitted: DeepSeek-V3's cited one
    assert cited is not None and cited.draft_tokens == 3 and cited.acceptance == DEFAULT_ACCEPTANCE.acceptance
    fitted = point.source.speculation(serving.FITTED.unstated_acceptance)
    assert fitted is not None and fitted.acceptance == serving.FITTED.unstated_acceptance
    # the estimate uses the fitted acceptance of runs that state none
    assert calibration.estimate_point(point).terms.tokens_per_step == pytest.approx(fitted.tokens_per_step)
    body["source"]["speculative"]["acceptance"] = 0.6  # a stated acceptance wins over the fitted one
    stated = calibration.validate(body, "f.json")[0]
    assert stated.source.speculation(serving.FITTED.unstated_acceptance).acceptance == 0.6
    assert calibration.estimate_point(stated).speculation.acceptance == 0.6
    body["source"]["speculative"]["draft_tokens"] = None  # unstated: one, DeepSeek-V3's one MTP module
    assert calibration.validate(body, "f.json")[0].source.speculation().draft_tokens == 1
    no_spec = calibration.validate(_body("inferencex-dsr1-fp8-b200-trtllm-1.2.0rc6.post2"), "g.json")[0]
    assert no_spec.source.speculation() is None and calibration.estimate_point(no_spec).terms.tokens_per_step == 1


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("MTP", r"speculative must be null or an object, got 'MTP'"),
        ({"method": "MTP", "draft_tokens": 3}, r"missing field 'acceptance'"),
        ({"method": "", "draft_tokens": 3, "acceptance": None}, r"speculative\.method must be a non-empty string"),
        ({"method": "MTP", "draft_tokens": 2.5, "acceptance": None}, r"speculative\.draft_tokens"),
        ({"method": "MTP", "draft_tokens": 0, "acceptance": None}, r"speculative\.draft_tokens"),
        ({"method": "MTP", "draft_tokens": 3, "acceptance": 1.5}, r"speculative\.acceptance must be from 0 to 1"),
        ({"method": "MTP", "draft_tokens": 3, "acceptance": "high"}, r"speculative\.acceptance"),
    ],
)
def test_malformed_speculation_is_refused_naming_the_field(value: object, needle: str) -> None:
    body = _body("inferencex-dsr1-fp8-b200-trtllm-1.1.0rc2.post2-mtp")
    body["source"]["speculative"] = value
    with pytest.raises(ValueError, match=r"f\.json: " + needle):
        calibration.validate(body, "f.json")


def test_uniform_lengths_are_estimated_at_their_mean() -> None:
    body = _body("inferencex-dsr1-fp8-h200-sglang-0.5.9")
    point = calibration.validate(body, "f.json")[0]
    assert point.source.lengths.kind == "uniform" and point.source.lengths.mean_ratio == pytest.approx(0.9)
    assert point.estimated_lengths == pytest.approx((0.9 * point.input_tokens, 0.9 * point.output_tokens))
    nominal = replace(point, source=replace(point.source, lengths=calibration.StatedLengths()))
    assert nominal.estimated_lengths == (point.input_tokens, point.output_tokens)
    assert calibration.estimate_point(point).deployment.context_tokens == pytest.approx(
        0.9 * calibration.estimate_point(nominal).deployment.context_tokens
    )


def test_stated_mean_lengths_are_used_as_they_are() -> None:
    point = calibration.validate(_body("vllm-pr23151-qwen3-30b-a3b-h100"), "f.json")[0]
    assert point.source.lengths.kind == "mean"
    assert point.estimated_lengths == (2041.69, 1015.76)  # 204,169 and 101,576 tokens over 100 requests
    nim = calibration.validate(_body("nim-1.8.0-llama-3.1-8b-h100"), "g.json")[0]
    assert nim.source.lengths.kind == "fixed" and nim.estimated_lengths == (nim.input_tokens, nim.output_tokens)


@pytest.mark.parametrize(
    ("lengths", "needle"),
    [
        ("uniform 0.8", r"lengths must be an object with 'kind'"),
        ({"kind": "poisson"}, r"lengths\.kind must be one of fixed, uniform, mean, got 'poisson'"),
        ({"kind": "uniform"}, r"lengths of kind 'uniform' need low_ratio"),
        ({"kind": "uniform", "low_ratio": 0}, r"lengths\.low_ratio must be a number in \(0, 1\], got 0"),
        ({"kind": "uniform", "low_ratio": 1.2}, r"lengths\.low_ratio must be a number in \(0, 1\], got 1\.2"),
        ({"kind": "fixed", "low_ratio": 0.8}, r"lengths\.low_ratio is for kind 'uniform' only"),
        ({"kind": "fixed", "mean": 900}, r"lengths has unknown fields \['mean'\]"),
    ],
)
def test_malformed_lengths_are_refused_naming_the_field(lengths: object, needle: str) -> None:
    body = _body("inferencex-dsr1-fp8-h200-sglang-0.5.9")
    body["source"]["lengths"] = lengths
    with pytest.raises(ValueError, match=r"f\.json: " + needle):
        calibration.validate(body, "f.json")


def test_actual_lengths_and_measured_concurrency_are_checked() -> None:
    body = _body("vllm-pr23151-qwen3-30b-a3b-h100")
    body["points"][0]["actual_output_tokens"] = 0.5
    with pytest.raises(ValueError, match=r"f\.json, point 0: actual_output_tokens must be >= 1 tokens"):
        calibration.validate(body, "f.json")
    body = _body("vllm-pr23151-qwen3-30b-a3b-h100")
    body["source"]["lengths"] = {"kind": "fixed"}
    with pytest.raises(ValueError, match=r"f\.json: points with actual_\* lengths need lengths\.kind 'mean'"):
        calibration.validate(body, "f.json")
    body = _body("inferencex-dsr1-fp8-h200-sglang-0.5.9")
    body["points"][0]["measured_concurrency"] = 3.5
    with pytest.raises(ValueError, match=r"f\.json, point 0: measured_concurrency"):
        calibration.validate(body, "f.json")
    body["points"][0]["measured_concurrency"] = 3
    assert calibration.validate(body, "f.json")[0].measured_concurrency == 3


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("chunked_prefill", True, True),
        ("chunked_prefill", None, True),
        ("chunked_prefill", "on: --chunked-prefill-size 32768", True),
        ("chunked_prefill", "", False),
        ("chunked_prefill", 32768, False),
        ("cuda_graphs", False, True),
        ("cuda_graphs", "yes", False),
    ],
)
def test_chunked_prefill_and_cuda_graphs_are_recorded_as_stated(name: str, value: object, ok: bool) -> None:
    body = _body("inferencex-dsr1-fp8-h200-sglang-0.5.9")
    body["source"][name] = value
    if ok:
        assert getattr(calibration.validate(body, "f.json")[0].source, name) == value
    else:
        with pytest.raises(ValueError, match=rf"f\.json: {name} must be"):
            calibration.validate(body, "f.json")


def test_every_committed_file_states_what_issue_22_asks() -> None:
    for path in sorted(calibration.default_directory().glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))["source"]
        assert record.get("publisher"), path.name
        assert isinstance(record.get("lengths"), dict), path.name
        assert "speculative" in record, path.name
        if record["publisher"] == "SemiAnalysis InferenceX":
            for name in ("chunked_prefill", "cuda_graphs", "nodes", "parallelism_stated"):
                assert name in record, (path.name, name)
            assert "dp_attention" in record["parallelism"], path.name


def test_the_fit_weighs_sources_equally_and_speculative_points_fit_only_the_acceptance(points) -> None:  # type: ignore[no-untyped-def]
    import math

    train = [p for p in points if p.source.speculative is None]
    with_spec, without = calibration.fit(points), calibration.fit(train)
    # speculative points move nothing but the acceptance of runs that state none
    assert replace(with_spec, unstated_acceptance=None) == without
    assert without.unstated_acceptance is None and with_spec.unstated_acceptance in calibration.ACCEPTANCE_GRID
    with pytest.raises(ValueError, match="without speculation"):
        calibration.fit([p for p in points if p.source.speculative is not None])
    parts = calibration._parts(train, serving.FITTED)
    per_source: dict[str, list[float]] = {}
    for part, p in zip(parts, train, strict=True):
        per_source.setdefault(p.source.id, []).append(abs(math.log(part.tpot_s(serving.FITTED) / part.measured_s)))
    expected = sum(sum(v) / len(v) for v in per_source.values()) / len(per_source)
    assert calibration._loss(parts, serving.FITTED) == pytest.approx(expected)
    # every source weighs 1 in all, however many rows it has
    weights = calibration._weights(train)
    totals: dict[str, float] = {}
    for p in train:
        totals[p.source.id] = totals.get(p.source.id, 0.0) + weights[p.source.id]
    assert totals == pytest.approx(dict.fromkeys(totals, 1.0))


def test_the_parts_rebuild_the_estimate_exactly_under_any_fitted_constants(points) -> None:  # type: ignore[no-untyped-def]
    c = replace(serving.FITTED, expert_bandwidth_fraction=0.5, rocm_step_factor=2.5, overlap=0.4, overhead_per_layer_s=3e-5)
    train = [p for p in points if p.source.speculative is None]
    for part, p in zip(calibration._parts(train, serving.FITTED), train, strict=True):
        assert part.tpot_s(c) == pytest.approx(calibration.estimate_point(p, c).tpot_s, rel=1e-12)


def test_the_acceptance_fit_recovers_the_acceptance_that_made_the_runs(points) -> None:  # type: ignore[no-untyped-def]
    spec = [p for p in points if p.source.speculative is not None and p.source.speculative.acceptance is None]
    truth = replace(serving.FITTED, unstated_acceptance=0.62)
    synthetic = [replace(p, tpot_s=calibration.estimate_point(p, truth).tpot_s) for p in spec]
    assert calibration._fit_acceptance(synthetic, serving.FITTED) == 0.62
    assert calibration._fit_acceptance([p for p in points if p.source.speculative is None], serving.FITTED) is None


def test_each_added_term_lowers_the_held_out_error_and_the_last_row_is_the_committed_estimate(points) -> None:  # type: ignore[no-untyped-def]
    rows = calibration.term_ablation(points)
    assert [r.terms for r in rows] == [(), ("experts",), ("experts", "rocm"), ("experts", "rocm", "acceptance")]
    pooled = [r.median_abs_error for r in rows]
    assert pooled == sorted(pooled, reverse=True)  # the page says each row lowers the pooled error
    last = calibration.regime_table(calibration.leave_one_group_out(points, "source"), "family")[-1]
    assert rows[-1].median_abs_error == pytest.approx(last.median_abs_error)
    with pytest.raises(ValueError, match="terms must be among experts, rocm, acceptance, got 'magic'"):
        calibration.fit(points, terms=("magic",))
    plain = calibration.fit(points, terms=())
    assert plain.expert_bandwidth_fraction is None and plain.rocm_step_factor == 1.0
    assert plain.unstated_acceptance is None


def test_term_shares_name_what_each_term_takes_by_family(points) -> None:  # type: ignore[no-untyped-def]
    shares = {t.family: t for t in calibration.term_shares(points)}
    assert set(shares) == {"dense", "moe"}
    assert shares["dense"].experts_extra == 0.0 and shares["dense"].rocm_extra == 0.0  # no routed expert, no AMD
    assert shares["moe"].experts_extra > 0 and shares["moe"].rocm_extra > 0
    assert shares["dense"].shares["communication_s"] < shares["moe"].shares["communication_s"]
