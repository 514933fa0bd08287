"""scripts/compare_builds.py, the check that a structural change left the built site as it was."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("compare_builds", ROOT / "scripts" / "compare_builds.py")
assert _spec is not None and _spec.loader is not None
compare_builds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_builds)


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def _wheel(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_identical_trees_pass_and_compressed_copies_are_left_out(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    old = _tree(tmp_path / "old", {"index.html": b"<p>1</p>", "a/b.js": b"x()", "index.html.gz": b"one"})
    new = _tree(tmp_path / "new", {"index.html": b"<p>1</p>", "a/b.js": b"x()", "index.html.gz": b"two"})
    assert compare_builds.main([str(old), str(new)]) == 0
    assert "identical: 2 files" in capsys.readouterr().out


def test_every_kind_of_difference_is_reported(tmp_path: Path) -> None:
    old = _tree(
        tmp_path / "old",
        {
            "page.html": b"<p>5,356</p>\n",
            "gone.txt": b"x",
            "w.whl": _wheel({"m/a.py": "1", "m/b.py": "2"}),
            "blob.bin": b"\xff\x00",
        },
    )
    new = _tree(
        tmp_path / "new",
        {
            "page.html": b"<p>5,357</p>\n",
            "added.txt": b"y",
            "w.whl": _wheel({"m/a.py": "1", "m/b.py": "3"}),
            "blob.bin": b"\xff\x01\x02",
        },
    )
    report = compare_builds.compare(old, new)
    assert f"only in {old}: gone.txt" in report
    assert f"only in {new}: added.txt" in report
    assert "differs: page.html" in report and "  +<p>5,357</p>" in report
    assert "  member differs: m/b.py" in report and "  member differs: m/a.py" not in report
    assert "  binary: 2 bytes before, 3 after" in report
    assert compare_builds.main([str(old), str(new)]) == 1


def test_named_paths_can_be_left_out(tmp_path: Path) -> None:
    old = _tree(tmp_path / "old", {"sitemap.xml": b"<lastmod>1</lastmod>", "index.html": b"a"})
    new = _tree(tmp_path / "new", {"sitemap.xml": b"<lastmod>2</lastmod>", "index.html": b"a"})
    assert compare_builds.compare(old, new, ("sitemap.xml",)) == []
