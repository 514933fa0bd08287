"""The published tables: one copy, in the package's source tree, read by the calibration and the presets alike."""

import json
import math
from pathlib import Path

from roofline import calibration, presets
from roofline.data import published_directory
from roofline.presets import DEEPSEEK_SERVING


def test_one_copy_of_the_tables() -> None:
    folder = published_directory()
    assert Path(folder) == calibration.default_directory()
    assert Path(folder).as_posix().endswith("src/roofline/data/published")
    assert (Path(folder) / f"{presets.DEEPSEEK_SOURCE}.json").is_file()


def test_deepseek_record_is_its_table() -> None:
    body = json.loads((Path(published_directory()) / f"{presets.DEEPSEEK_SOURCE}.json").read_text(encoding="utf-8"))
    source = body["source"]
    assert DEEPSEEK_SERVING.hardware == source["hardware"] == "h800"  # the chip the overview states
    assert (DEEPSEEK_SERVING.model, DEEPSEEK_SERVING.gpus) == (source["model"], source["gpus"])
    assert (DEEPSEEK_SERVING.weight_precision, DEEPSEEK_SERVING.kv_precision) == (
        source["precision"],
        source["kv_precision"],
    )
    # The calibration point is derived from the stated figures in the same file, as its derivation says.
    (point,) = body["points"]
    per_user = (DEEPSEEK_SERVING.tokens_per_s_per_user_low + DEEPSEEK_SERVING.tokens_per_s_per_user_high) / 2
    assert math.isclose(point["tpot_s"], 1 / per_user)
    assert math.isclose(
        point["output_tokens_per_s"], DEEPSEEK_SERVING.output_tokens_per_s_per_node * DEEPSEEK_SERVING.nodes
    )
    # 4,989 = input + output / 2 to the stated token.
    assert abs(point["input_tokens"] + point["output_tokens"] / 2 - DEEPSEEK_SERVING.mean_context_tokens) <= 0.5


def test_calibration_loads_the_same_file() -> None:
    (point,) = [p for p in calibration.load() if p.source.id == presets.DEEPSEEK_SOURCE]
    assert point.source.hardware == DEEPSEEK_SERVING.hardware
