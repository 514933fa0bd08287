"""The simulator's inputs as data (roofline/web/controls.toml): every mode's sliders, drop-downs and switches, and a malformed row says where."""

from __future__ import annotations

import pytest

from roofline.model import SEED_DEFAULTS, SEED_MAX_BATCH
from roofline.presets import HARDWARE, MODELS
from roofline.web import article, compare, controls, frontier_view, realistic


def test_each_mode_lists_its_sliders_in_order() -> None:
    assert [c.key for c in article.CONTROLS] == ["B", "B_max", "N_active", "C", "N_total", "BW", "L", "b", "tpot"]
    assert [c.key for c in realistic.CONTROLS] == [
        "gpus", "L", "out", "B", "B_max", "tpot", "draft", "accept", "price", "C", "BW", "HBM", "N_total", "N_active",
    ]
    assert [c.key for c in (compare.INPUT_CONTROL, compare.OUTPUT_CONTROL, compare.TARGET)] == ["isl", "osl", "tpot"]


def test_defaults_come_from_the_core_not_the_file() -> None:
    by_key = {c.key: c for c in article.CONTROLS}
    assert by_key["N_active"].default == SEED_DEFAULTS.active_params
    assert by_key["L"].default == SEED_DEFAULTS.context_tokens
    assert by_key["B_max"].default == SEED_MAX_BATCH
    real = {c.key: c for c in realistic.CONTROLS}
    d = realistic.DEFAULT_REAL_STATE
    assert real["C"].default == HARDWARE[d.hardware].compute_ops_per_s(d.weight_precision)
    assert real["N_total"].default == MODELS[d.model].total_params
    # A shared slider keeps one range everywhere; a mode may give it its own default.
    assert real["L"].maximum == by_key["L"].maximum and real["L"].default == 32768


def test_the_shared_target_is_the_frontier_views_key() -> None:
    assert frontier_view.target_control().key == frontier_view.TARGET_KEY
    assert frontier_view.target_control().off_text == "no target"


def test_the_pickers_options_and_help_come_from_the_presets() -> None:
    by_key = {p.key: p for p in realistic.PICKERS}
    assert [o.value for o in by_key["hw"].options] == list(HARDWARE)
    assert [o.value for o in by_key["model"].options] == list(MODELS)
    assert "DeepSeek-V3: BF16" in by_key["aprec"].help and "{" not in by_key["aprec"].help
    assert [p.key for p in realistic.PICKERS if p.key in realistic.LAYOUT_KEYS] == ["tp", "ep", "dpa", "pp"]
    assert [t.key for t in realistic.TOGGLES] == ["moe", "attn", "ideal", "spec", "serve"]
    assert "{" not in {t.key: t for t in realistic.TOGGLES}["spec"].help


def test_numbers_keep_the_type_they_are_written_in() -> None:
    b = {c.key: c for c in article.CONTROLS}["B"]
    assert type(b.minimum) is int and type(b.maximum) is int
    assert type({c.key: c for c in article.CONTROLS}["N_active"].minimum) is float


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: controls.sliders("nope"), "no list 'nope'"),
        (lambda: controls.pickers("real_pickers", {}, {"cited_attention": ""}), "picker 'hw' names option list 'hardware'"),
        (lambda: controls.pickers("real_pickers", realistic._OPTIONS, {}), "'aprec': its help names 'cited_attention'"),
        (lambda: controls.toggles("real_toggles", {}), "'spec': its help names 'acceptance_source'"),
        (lambda: controls.shared_slider("nope"), "no shared slider 'nope'"),
        (lambda: controls._slider({"shared": "nope"}, {}), "shared slider 'nope'"),
        (
            lambda: controls._slider({"key": "x", "field": "x", "label": "", "help": "", "unit": "", "minimum": 1,
                                      "maximum": 2, "log": False, "integer": True}, {}),
            "slider 'x' has no default",
        ),
        (
            lambda: controls._slider({"key": "y", "field": "y", "colour": "red"}, {"y": 1}),
            "slider 'y'",
        ),
    ],
)
def test_a_malformed_row_is_a_value_error_naming_the_file_and_row(call, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"controls\.toml") as error:
        call()
    assert words in str(error.value)
