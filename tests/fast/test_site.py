"""The built site: strict build, no template leftovers, numbers from the core."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from roofline import model as core
from roofline import presets
from roofline_site.runtime import assets

ROOT = Path(__file__).resolve().parents[2]


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def visible_text(html: str) -> str:
    """Text a reader sees: scripts, styles and tags dropped."""

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag in ("script", "style"):
                self.skip += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style"):
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    collector = Collector()
    collector.feed(html)
    return " ".join(collector.parts)


def test_every_page_is_free_of_template_leftovers_and_bad_numbers(built_site: Path) -> None:
    found = pages(built_site)
    assert len(found) >= 3
    for page in found:
        text = visible_text(page.read_text())
        for leftover in ("{{", "{%", "{#"):
            assert leftover not in text, f"{page}: {leftover}"
        for word in ("nan", "None", "inf", "NaN", "Infinity"):
            assert not re.search(rf"\b{word}\b", text), f"{page}: {word}"


def macro_values(html: str) -> dict[str, list[tuple[float, str]]]:
    found: dict[str, list[tuple[float, str]]] = {}
    for name, value, text in re.findall(
        r'<span class="rl-num" data-macro="([^"]+)" data-value="([^"]*)">([^<]*)</span>', html
    ):
        found.setdefault(name, []).append((float(value), text))
    return found


def test_sweet_spot_page_shows_the_cores_numbers(built_site: Path) -> None:
    html = (built_site / "sweet-spot" / "index.html").read_text()
    values = macro_values(html)
    deepseek = presets.model("deepseek-v3")
    h100 = presets.hardware("h100-sxm")
    exact = core.sweet_spot_batch(
        deepseek.total_params, deepseek.active_params, h100.compute_ops_per_s("fp8"), h100.bandwidth_bytes_per_s
    )
    article = core.sweet_spot_batch(671e9, 37e9, 1e15, 3e12)
    assert (article, "6,045") in values["sweet_spot_batch:deepseek-v3:article-h100:fp8"]
    assert (exact, "5,356") in values["sweet_spot_batch:deepseek-v3:h100-sxm:fp8"]
    assert (core.hardware_ratio(1e15, 3e12), "333") in values["chip_ops_per_byte:article-h100:fp8"]
    assert (core.sparsity_ratio(671e9, 37e9), "18.14") in values["sparsity"]
    # Negative control: the article's rounded 5,400 is quoted, never presented as computed.
    assert all(text != "5,400" for name in values if name.startswith("sweet_spot") for _, text in values[name])


def test_home_page_readouts_are_the_seed_figures(built_site: Path) -> None:
    html = (built_site / "index.html").read_text()
    values = macro_values(html)
    step = core.evaluate(core.SEED_DEFAULTS)
    assert values["seed_t_memory"] == [(step.t_memory_s, "60.01 ms")]
    assert values["seed_t_compute"] == [(step.t_compute_s, "12.8 ms")]
    assert values["seed_crossover"] == [(step.crossover_batch, "≈ 600.49")]


def test_simulator_page_is_prefilled_with_the_default_readouts(built_site: Path) -> None:
    html = (built_site / "simulator" / "index.html").read_text()
    assert 'id="simulator"' in html and 'data-ready="false"' in html
    assert 'data-readout="latency" data-value="0.060010485759999996">60.01 ms<' in html
    assert "https://" not in re.sub(r"<a [^>]*>", "", html.split('<div class="md-content"')[1].split("</article>")[0])


def test_runtimes_and_wheel_are_served_by_the_site(built_site: Path) -> None:
    vendor = built_site / "assets" / "vendor"
    for path in (
        "pyodide/pyodide.mjs",
        "pyodide/pyodide.asm.wasm",
        "pyodide/python_stdlib.zip",
        "pyscript/core.js",
        "plotly/plotly.min.js",
        "katex/katex.min.js",
        "katex/contrib/auto-render.min.js",
    ):
        assert (vendor / path).is_file(), path
    assert list((vendor / "katex" / "fonts").glob("*.woff2"))
    wheels = list((built_site / "assets" / "wheels").glob("roofline-*.whl"))
    assert len(wheels) == 1


def test_wheel_is_exactly_the_core_sources() -> None:
    wheel = assets.wheel_path()
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        packaged = {n: archive.read(n) for n in names if n.startswith("roofline/")}
    assert not [n for n in names if n.startswith("roofline_site")], "the build-time adapter must stay out"
    core = ROOT / "src" / "roofline"
    # The modules and the record tables they read (roofline.tables); the published JSON stays out.
    files = [*core.rglob("*.py"), *core.rglob("*.toml")]
    sources = {p.relative_to(ROOT / "src").as_posix(): p.read_bytes() for p in files}
    assert packaged == sources
    assert "roofline/web/mode.py" in packaged, "the view ships too: Pyodide renders it"


@pytest.mark.parametrize("page", ["index.html", "sweet-spot/index.html", "simulator/index.html"])
def test_no_page_references_another_host(built_site: Path, page: str) -> None:
    html = (built_site / page).read_text()
    # Resources the browser would fetch (links a reader may click are not requests).
    for url in re.findall(r'<(?:script|img|link|iframe|source|audio|video)\b[^>]*?(?:src|href)="(https?:[^"]+)"', html):
        assert url.startswith(("http://127.0.0.1", "http://localhost")), url
