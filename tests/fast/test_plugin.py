"""The roofline MkDocs plugin: the build's steps run in the one order it declares, and mkdocs.yml loads nothing by path."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import yaml
from mkdocs.config import load_config

from roofline_site import plugin, runtime
from roofline_site.plugin import POST_BUILD, RooflinePlugin, Step
from roofline_site.serve import compress, csp

ROOT = Path(__file__).resolve().parents[2]


def test_the_post_build_steps_run_in_the_declared_order(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ran: list[tuple[str, Path]] = []
    recording = tuple(Step(s.name, lambda site, name=s.name: ran.append((name, site)), s.why) for s in POST_BUILD)
    monkeypatch.setattr(plugin, "POST_BUILD", recording)
    RooflinePlugin().on_post_build(config={"site_dir": str(tmp_path)})
    assert ran == [(step.name, tmp_path) for step in POST_BUILD]


def test_the_order_is_runtime_prerender_csp_and_compression_last() -> None:
    assert [step.name for step in POST_BUILD] == ["runtime", "prerender", "search-text", "csp", "compress"]
    assert POST_BUILD[0].run is runtime.package
    assert POST_BUILD[-1].run is compress.precompress
    assert all(step.why for step in POST_BUILD)
    # After every other plugin's post-build (the search index is a file to compress too).
    assert RooflinePlugin.on_post_build.mkdocs_priority == -100


def test_the_wheel_is_built_before_any_page_renders(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The pages name the wheel's SHA-256 as they render; the getter they call builds nothing."""
    built: list[str] = []
    monkeypatch.setattr(runtime, "build_wheel", lambda: built.append("wheel"))
    RooflinePlugin().on_pre_build(config={})
    assert built == ["wheel"]


def test_the_runtime_steps_run_in_their_declared_order(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []
    recording = tuple(lambda site, name=f.__name__: ran.append(name) for f in runtime.STEPS)
    monkeypatch.setattr(runtime, "STEPS", recording)
    runtime.package(tmp_path)
    assert ran == ["copy_runtime", "write_snapshot", "write_pycache", "write_prefetch_list"]


def test_mkdocs_yml_has_no_hooks_and_loads_the_plugin_by_its_entry_point() -> None:
    raw = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)  # !ENV tags read as text
    assert "hooks" not in raw, "build steps belong in the roofline plugin's POST_BUILD, not in hooks loaded by path"
    found = entry_points(group="mkdocs.plugins", name="roofline")
    assert found, "the roofline plugin is not registered: run scripts/setup.sh (it installs the project)"
    (registered,) = found
    assert registered.value == "roofline_site.plugin:RooflinePlugin"
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert isinstance(config.plugins["roofline"], RooflinePlugin)
    assert config.plugins["macros"].config["module_name"] == "src/roofline_site"


def test_under_mkdocs_serve_the_policy_allows_the_live_reload_script(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(RooflinePlugin, "serving", False)
    page = tmp_path / "index.html"
    (csp_step,) = [step for step in POST_BUILD if step.name == "csp"]
    for command, allowed in (("build", False), ("serve", True)):
        page.write_text(f'<meta http-equiv="Content-Security-Policy" content="{csp.PLACEHOLDER}"><script>x()</script>')
        RooflinePlugin().on_startup(command=command, dirty=False)
        csp_step.run(tmp_path)
        assert ("'unsafe-inline'" in page.read_text()) is allowed
