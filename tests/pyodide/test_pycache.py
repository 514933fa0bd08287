"""PyScript's bytecode step: made from PyScript's bundle, and skipped with a warning when the bundle is not as expected."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from roofline_site.runtime import boot, pycache


@pytest.fixture
def fake_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Point the step at a bundle written by the test, with a cache of its own."""
    bundle = tmp_path / "core-fake.js"
    monkeypatch.setattr(pycache, "pyscript_bundle", lambda: bundle)
    monkeypatch.setattr(pycache, "CACHE", tmp_path / "cache")
    return bundle


@pytest.mark.parametrize(
    "text",
    [
        'const a = 1; export { a as default };',  # no package literal at all
        'f(".", { pyscript: { "__init__.py": "x = 1"',  # one that never ends
        'f(".", { pyscript: { "util.py": "x = 1" } });',  # no pyscript/__init__.py
    ],
)
def test_a_bundle_the_maker_cannot_read_is_skipped_with_a_warning(
    fake_bundle: Path, tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_bundle.write_text(text)
    pycache.compile_pycache()
    reason = pycache.skipped()
    assert reason is not None and "core-fake.js" in reason
    site = tmp_path / "site"
    with caplog.at_level(logging.WARNING, logger=pycache.__name__):
        assert pycache.write_pycache(site) is None
    assert "compiles in the page" in caplog.text and reason in caplog.text
    assert not (site / pycache.PYCACHE_FILE).exists()
    # The page neither preloads it nor has the boot module ask for it.
    assert pycache.PYCACHE_FILE not in [url for url, _, _ in boot.runtime_files()]
    assert boot.interpreter_url().endswith("&pycache=none")
    # Remembered in the cache, in place of the bytecode: the next build does not run the maker again.
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["skipped.txt"]
    assert (tmp_path / "cache" / "skipped.txt").read_text() == reason
    monkeypatch.setattr(pycache.subprocess, "run", lambda *args, **kwargs: pytest.fail("the maker ran again"))
    pycache.compile_pycache()
    assert pycache.skipped() == reason


def test_the_getters_make_nothing_and_refuse_a_missing_or_stale_cache(
    fake_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pycache.subprocess, "run", lambda *args, **kwargs: pytest.fail("a getter ran the maker"))
    fake_bundle.write_text("const a = 1;")
    with pytest.raises(pycache.SetupMissing, match="compile_pycache"):
        pycache.skipped()
    with pytest.raises(pycache.SetupMissing, match="compile_pycache"):
        pycache.write_pycache(tmp_path / "site")
    assert not (tmp_path / "cache").exists()
    monkeypatch.undo()
    monkeypatch.setattr(pycache, "pyscript_bundle", lambda: fake_bundle)
    monkeypatch.setattr(pycache, "CACHE", tmp_path / "cache")
    pycache.compile_pycache()
    assert pycache.skipped() is not None
    fake_bundle.write_text("const b = 2;")  # another bundle: what the cache holds is stale
    with pytest.raises(pycache.SetupMissing, match="other inputs"):
        pycache.skipped()


@pytest.mark.slow  # Pyodide under Node
def test_a_bundle_with_the_package_is_compiled(fake_bundle: Path, tmp_path: Path) -> None:
    fake_bundle.write_text('x(); f(".", { pyscript: { "__init__.py": "x = 1\\n", "sub": { "m.py": "y = 2\\n" } } });')
    pycache.compile_pycache()
    assert pycache.skipped() is None
    written = pycache.write_pycache(tmp_path / "site")
    assert written is not None
    compiled = json.loads(written.read_text())["files"]
    assert sorted(Path(name).parent.name for name in compiled) == ["__pycache__", "__pycache__"]
    assert {Path(name).parts[:2] for name in compiled} == {("pyscript", "__pycache__"), ("pyscript", "sub")}
    assert pycache.PYCACHE_FILE in [url for url, _, _ in boot.runtime_files()]
    assert "pycache=none" not in boot.interpreter_url()
