"""The compare page's glue in the browser: DOM events in, comparison snapshots out.

Every number, text and chart comes from :mod:`roofline.web.compare`;
painting is ``compare.js``'s job, the same painter that drew the build's
pre-rendered snapshot. Each input is read back through the page's URL
parser (:meth:`roofline.web.compare.Compare.with_input`), so a typed value
and a linked one meet the same checks and the same notices.

It runs only under Pyodide (it imports ``js`` and ``pyodide.ffi``), started
by ``docs/compare/main.py``; it is in the wheel so that the build's memory
snapshot holds it compiled, as :mod:`roofline.web.browser` is.
"""

import json

import js
from pyodide.ffi import create_proxy

from .compare import COMPARE

__all__ = ["CompareWidget", "start"]


class CompareWidget:
    """Holds the comparison and hands the painter a new snapshot after each input."""

    def __init__(self):
        self.root = js.document.getElementById("compare")
        self.painter = js.window.rooflineCompare
        self.state, self.notices = COMPARE.parse(js.window.location.search)
        self.renders = 0
        self._proxies = [create_proxy(f) for f in (self.on_input, self.on_add, self.on_remove, self.on_reset)]
        on_input, on_add, on_remove, on_reset = self._proxies
        self.painter.onInput = on_input
        self.painter.onAdd = on_add
        self.painter.onRemove = on_remove
        self.painter.onReset = on_reset
        self.painter.onScheme = create_proxy(lambda *_: self.render())

    def start(self):
        """Apply what the reader did while Python loaded, then go live (rendering only if needed)."""
        pending = list(self.painter.takePending())
        for key, value in pending:
            self.state, self.notices = COMPARE.with_input(self.state, str(key), str(value))
        if pending or self.notices or not self.painter.shows(COMPARE.encode(self.state)):
            self.render()
        self.painter.goLive()
        self.write_url()

    def on_input(self, key, value):
        self.state, self.notices = COMPARE.with_input(self.state, str(key), str(value))
        self.render()

    def on_add(self, *_):
        self.state, self.notices = COMPARE.added(self.state), []
        self.render()

    def on_remove(self, number):
        self.state, self.notices = COMPARE.removed(self.state, int(number)), []
        self.render()

    def on_reset(self, *_):
        self.state, self.notices = COMPARE.default, []
        self.render()

    def render(self):
        snap = COMPARE.snapshot(self.state, self.notices, (self.painter.scheme(),))
        self.painter.paintJSON(json.dumps(snap, separators=(",", ":")))
        self.renders += 1
        # Tests wait on this count, never on a sleep.
        self.root.dataset.renders = str(self.renders)
        self.write_url()

    def write_url(self):
        # "?..." keeps the document's path, as the simulator's writer does (browser.write_url).
        js.window.history.replaceState(
            None, "", f"?{COMPARE.encode(self.state)}{js.window.location.hash}"
        )


def start():
    """Wire the compare page to Python and bring it live; returns the widget."""
    widget = CompareWidget()
    widget.start()
    return widget
