"""The roofline MkDocs plugin: the build's own steps, in the order they run.

Registered as ``roofline`` under ``[project.entry-points."mkdocs.plugins"]`` in
pyproject.toml (``scripts/setup.sh`` installs the project into ``.venv``, which
registers it) and listed under ``plugins:`` in mkdocs.yml. mkdocs-macros still
loads the macros themselves (:func:`roofline_site.define_env`).

Before the pages render, the roofline wheel is built if its sources changed
(:func:`.runtime.build_wheel`): the simulator's and compare page's markup
names its SHA-256; and PyScript's package is compiled if its inputs changed
(:func:`.runtime.compile_pycache`): that markup fetches the bytecode only
when it was made. While the pages render, each one gets its glossary links
(:func:`.pages.glossary.link_page`), and each (and Material's static 404.html) is checked
for the Content-Security-Policy placeholder that :mod:`.serve.csp` fills in
later. Once every page is written, :data:`POST_BUILD` runs, in its order; that
tuple is the one place the order is written. Its ``on_post_build`` has
priority -100 ("last", :func:`mkdocs.plugins.event_priority`), so it runs
after every other plugin has written its files (the search index, above all),
wherever the plugin sits in mkdocs.yml's list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from . import runtime
from .pages import glossary
from .serve import compress, csp
from .simulator import widget

__all__ = ["POST_BUILD", "RooflinePlugin", "Step"]


@dataclass(frozen=True)
class Step:
    """One post-build step: a name for the log and the tests, what it does to the site folder, and why it sits where it does."""

    name: str
    run: Callable[[Path], object]
    why: str


def _fill_policy(site: Path) -> None:
    # Under ``mkdocs serve`` inline scripts are allowed outright: its live-reload script has no fixed hash.
    csp.fill_policy(site, dev_server=RooflinePlugin.serving)


#: The post-build steps, in the order they run.
POST_BUILD: tuple[Step, ...] = (
    Step(
        "runtime",
        runtime.package,
        "the vendored runtimes, the wheel, the snapshot, PyScript's bytecode and the prefetch list "
        "(:data:`.runtime.STEPS`, in their own order); nothing after it needs the pages changed",
    ),
    Step(
        "prerender",
        widget.write_prerender,
        "the simulator's pre-rendered states: it reads the links every page makes, so the pages must be written",
    ),
    Step(
        "search-text",
        glossary.plain_search_index,
        "formulas in the search index as plain text: after the search plugin has written it (priority -100)",
    ),
    Step(
        "csp",
        _fill_policy,
        "one policy with the hash of every inline script in any page: the pages' HTML must be final",
    ),
    Step(
        "compress",
        compress.precompress,
        "gzip and brotli copies of every finished file: last, once nothing changes a file any more",
    ),
)


class RooflinePlugin(BasePlugin):
    """Builds the wheel and PyScript's bytecode first, checks each rendered page for the CSP placeholder, then runs :data:`POST_BUILD` in order."""

    #: Whether this is ``mkdocs serve``, whose live-reload script cannot be hashed (:func:`.serve.csp.policy`).
    serving: bool = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        RooflinePlugin.serving = command == "serve"

    def on_pre_build(self, *, config) -> None:  # type: ignore[no-untyped-def]
        runtime.build_wheel()
        runtime.compile_pycache()

    def on_page_content(self, html: str, *, page, config, files) -> str:  # type: ignore[no-untyped-def]
        return glossary.link_page(html, page)

    def on_post_page(self, output: str, *, page, config) -> str:  # type: ignore[no-untyped-def]
        csp.check_page(output, page.file.src_uri)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:  # type: ignore[no-untyped-def]
        if template_name.endswith(".html"):
            csp.check_page(output_content, template_name)
        return output_content

    @event_priority(-100)
    def on_post_build(self, *, config) -> None:  # type: ignore[no-untyped-def]
        site = Path(config["site_dir"])
        for step in POST_BUILD:
            step.run(site)
