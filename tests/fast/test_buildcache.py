"""The one rule of the build's caches: an output is remade exactly when the key of its inputs changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from roofline_site import buildcache
from roofline_site.runtime import assets


def test_the_key_is_of_the_inputs_bytes_and_values(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("one")
    folder = tmp_path / "pkg"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "m.py").write_text("x = 1\n")
    key = buildcache.inputs_key(source, folder, "quality 11")
    assert key == buildcache.inputs_key(source, folder, "quality 11")
    assert key != buildcache.inputs_key(source, folder, "quality 5")
    assert key != buildcache.inputs_key(folder, source, "quality 11")  # the order is part of it
    # What Python writes as it imports is no input.
    (folder / "sub" / "__pycache__").mkdir()
    (folder / "sub" / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0")
    assert buildcache.inputs_key(source, folder, "quality 11") == key
    # A file's bytes count, and so does where a file sits in a folder.
    (folder / "sub" / "m.py").rename(folder / "m.py")
    assert buildcache.inputs_key(source, folder, "quality 11") != key
    (folder / "m.py").rename(folder / "sub" / "m.py")
    source.write_text("two")
    assert buildcache.inputs_key(source, folder, "quality 11") != key


def test_an_output_is_made_once_per_key_and_replaced_whole(tmp_path: Path) -> None:
    made: list[str] = []

    def make(into: Path) -> None:
        made.append(into.name)
        into.mkdir()
        (into / "out.txt").write_text(f"made {len(made)}")

    output = tmp_path / "cache" / "thing"
    assert buildcache.cached(output, "k1", make) == output
    assert made == ["thing.tmp"] and (output / "out.txt").read_text() == "made 1"
    assert buildcache.key_file(output).read_text() == "k1" and buildcache.is_fresh(output, "k1")
    buildcache.cached(output, "k1", make)
    assert len(made) == 1  # the same key: kept
    buildcache.cached(output, "k2", make)
    assert len(made) == 2 and (output / "out.txt").read_text() == "made 2"
    assert sorted(p.name for p in output.parent.iterdir()) == ["thing", "thing.key"]


def test_an_interrupted_make_leaves_nothing_that_looks_made(tmp_path: Path) -> None:
    output = tmp_path / "copy.br"
    buildcache.cached(output, "k1", lambda into: into.write_text("first"))

    def fails(into: Path) -> None:
        into.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        buildcache.cached(output, "k2", fails)
    assert not buildcache.is_fresh(output, "k2") and not buildcache.is_fresh(output, "k1")
    buildcache.cached(output, "k2", lambda into: into.write_text("second"))
    assert output.read_text() == "second" and buildcache.is_fresh(output, "k2")


def test_the_wheel_getter_builds_nothing_and_refuses_a_missing_or_stale_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = assets.wheel_path()  # conftest's roofline_wheel built it for these sources
    folder = tmp_path / "wheel"
    monkeypatch.setattr(assets, "WHEEL_DIR", folder)
    with pytest.raises(assets.SetupMissing, match="missing or was built from other sources"):
        assets.wheel_path()
    assert not folder.exists()
    folder.mkdir()
    shutil.copy2(built, folder / built.name)
    buildcache.key_file(folder).write_text("the key of other sources")
    with pytest.raises(assets.SetupMissing, match=r"run scripts/setup\.sh"):
        assets.wheel_path()
    buildcache.key_file(folder).write_text(buildcache.inputs_key(*assets.WHEEL_INPUTS))
    assert assets.wheel_path() == folder / built.name
