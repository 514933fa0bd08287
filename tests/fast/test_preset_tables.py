"""The record tables in TOML (roofline.tables): every cited figure has its source, and a malformed file says where."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

import pytest

from roofline import explainer, presets, speculative, tables
from roofline.presets import Hardware, KvPrecision, Model
from roofline.speculative import AcceptanceFigure

SRC = Path(__file__).resolve().parents[2] / "src" / "roofline"

#: Each TOML file, the tables in it, the record type, and the figures each record must cite.
CITED_TABLES = [
    ("presets/chips.toml", "hardware", Hardware.FIGURES),
    ("presets/models.toml", "model", Model.FIGURES),
    ("acceptance_figures.toml", "acceptance_figure", AcceptanceFigure.FIGURES),
]
DATA_FILES = sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.toml"))


def _read(name: str) -> dict:
    with open(SRC / name, "rb") as file:
        return tomllib.load(file)


def test_the_data_files_are_the_ones_the_modules_read() -> None:
    assert DATA_FILES == [
        "acceptance_figures.toml",
        "presets/chips.toml",
        "presets/models.toml",
        "presets/precisions.toml",
        "price_steps.toml",
        "web/controls.toml",  # the simulator's inputs (tests/fast/test_controls_table.py)
    ]


@pytest.mark.parametrize(("name", "table", "figures"), CITED_TABLES)
def test_every_cited_figure_has_its_source(name: str, table: str, figures: tuple[str, ...]) -> None:
    entries = _read(name)[table]
    assert entries
    for entry in entries:
        given = {part: value for field, value in entry.items() for part in field.split(", ")}
        for figure in figures:
            if figure not in given:
                continue
            value = given[figure]
            assert isinstance(value, list) and len(value) == 2, f"{name} {entry['key']}: {figure} has no source"
            assert isinstance(value[1], str) and value[1].strip(), f"{name} {entry['key']}: {figure}'s source is empty"


def test_every_cited_record_cites_each_figure_it_sets() -> None:
    records = [*presets.HARDWARE.values(), *presets.MODELS.values(), *speculative.ACCEPTANCE_FIGURES.values()]
    for record in records:
        cited = {part for name, where in record.citations for part in name.split(", ") if where}
        for figure in type(record).FIGURES:
            if getattr(record, figure) not in (None, 0):
                assert figure in cited, f"{record.key}: {figure}"


def test_a_cited_none_is_python_none_with_its_reason() -> None:
    a100 = presets.HARDWARE["a100-sxm"]
    assert a100.dense_fp8_flops_per_s is None
    assert a100.citation("dense_fp8_flops_per_s").startswith("none: Ampere has no FP8")


def test_the_tables_keep_their_order_and_types() -> None:
    assert list(presets.HARDWARE)[:3] == ["a100-sxm", "h100-sxm", "h800"]
    assert list(presets.MODELS)[-1] == "llama-3.3-70b"
    assert type(presets.MODELS["deepseek-v3"].layers) is int
    assert type(presets.HARDWARE["h100-sxm"].memory_bytes) is float
    assert presets.WEIGHT_PRECISIONS["w4a16"].bytes_per_weight == 4.25 / 8
    assert list(explainer.PRICE_STEPS) == ["gemini-2.5-pro", "gemini-1.5-pro"]
    figure = speculative.DEFAULT_ACCEPTANCE
    assert (figure.acceptance_low, figure.acceptance_high) == (0.85, 0.90)
    assert figure.citations[1][0] == "acceptance_low, acceptance_high"
    assert presets.ARTICLE_H100.citations == ()


def test_the_wheel_ships_the_data_files() -> None:
    from roofline_site.runtime.assets import wheel_path

    try:
        wheel = wheel_path()
    except RuntimeError as error:  # SetupMissing: no wheel for these sources here
        pytest.skip(str(error))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"roofline/{name}" for name in DATA_FILES} <= names
    assert not any(n.endswith(".json") for n in names)


# --- malformed tables: a ValueError that names the file and the record ---

_CHIP = """
[[hardware]]
key = "x1"
name = "X1"
source = "X datasheet"
dense_bf16_flops_per_s = [1e15, "X datasheet: 1 PFLOPS BF16, dense"]
dense_fp8_flops_per_s = ["none", "none: no FP8 unit"]
memory_bytes = [80e9, "X datasheet: 80 GB"]
bandwidth_bytes_per_s = [3e12, "X datasheet: 3 TB/s"]
"""


def _hardware(tmp_path: Path, text: str) -> dict[str, Hardware]:
    path = tmp_path / "chips.toml"
    path.write_text(text)
    return tables.records(str(path), "hardware", Hardware, Hardware.cited, Hardware.FIGURES)


def test_a_well_formed_table_builds(tmp_path: Path) -> None:
    (chip,) = _hardware(tmp_path, _CHIP).values()
    assert chip.dense_fp8_flops_per_s is None and chip.memory_bytes == 80e9
    assert chip.citations[0] == ("dense_bf16_flops_per_s", "X datasheet: 1 PFLOPS BF16, dense")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('memory_bytes = [80e9, "X datasheet: 80 GB"]\n', ""), "missing field memory_bytes"),
        (lambda t: t + "colour = \"green\"\n", "unknown field 'colour'"),
        (lambda t: t.replace('[80e9, "X datasheet: 80 GB"]', "80e9"), "memory_bytes has no source"),
        (lambda t: t.replace('"X datasheet: 80 GB"', '" "'), "memory_bytes has an empty source"),
        (lambda t: t.replace("[80e9,", "[-80e9,"), "memory_bytes"),
        (lambda t: t + 'citations = "by hand"\n', "unknown field 'citations'"),
    ],
    ids=["missing", "unknown", "no-source", "empty-source", "bad-value", "citations-by-hand"],
)
def test_a_malformed_record_names_the_file_and_its_key(tmp_path: Path, edit, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        _hardware(tmp_path, edit(_CHIP))
    assert str(raised.value).startswith(f"{tmp_path / 'chips.toml'}: [hardware] 'x1': ")


def test_a_record_without_a_key_or_a_repeated_key_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"chips\.toml: a \[hardware\] record has no key"):
        _hardware(tmp_path, _CHIP.replace('key = "x1"\n', ""))
    with pytest.raises(ValueError, match=r"chips\.toml: \[\[hardware\]\]: two records with the key 'x1'"):
        _hardware(tmp_path, _CHIP + _CHIP)
    with pytest.raises(ValueError, match=r"chips\.toml: no \[\[hardware\]\] records"):
        _hardware(tmp_path, "")


def test_a_source_on_a_record_that_keeps_none_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "precisions.toml"
    path.write_text('[[kv_precision]]\nkey = "fp8"\nlabel = "FP8"\nbytes_per_element = [1.0, "a spec"]\n')
    with pytest.raises(ValueError, match=r"\[kv_precision\] 'fp8': bytes_per_element is written with a source"):
        tables.records(str(path), "kv_precision", KvPrecision)
