"""The simulator page's glue: browser events in, roofline snapshots out.

Every number, text and chart comes from ``roofline.simulator``; painting is
``simulator.js``'s job (the same painter that drew the pre-rendered snapshot).
This file only turns inputs into a new State and hands back a snapshot.
"""

import js
from pyodide.ffi import create_proxy, to_js
from pyscript import document, window

from roofline import simulator as sim


def _js(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


class Widget:
    """Holds the current state and paints it at most once per animation frame."""

    def __init__(self):
        self.painter = window.rooflineSimulator
        self.state, notices = sim.parse_query(window.location.search)
        self.notices = notices
        self.frame_pending = False
        self.renders = 0
        self._on_slider = create_proxy(self.on_slider)
        self._on_entry = create_proxy(self.on_entry)
        self._on_frame = create_proxy(self.on_frame)
        for control in sim.CONTROLS:
            slider = document.getElementById(f"sim-{control.key}")
            entry = document.getElementById(f"sim-{control.key}-entry")
            # Apply what the reader did while Python was loading.
            if slider.hasAttribute("data-touched"):
                self.apply_position(control.key, float(slider.value))
            if entry.hasAttribute("data-touched"):
                self.apply_entry(control.key, entry)
            slider.addEventListener("input", self._on_slider)
            entry.addEventListener("change", self._on_entry)

    def apply_position(self, key, position):
        value = sim.value_at(sim.control(key), position, self.state)
        self.state = sim.with_value(self.state, key, value)

    def apply_entry(self, key, entry):
        value, problem = sim.check_value(key, entry.value, self.state)
        if value is None:
            entry.setAttribute("aria-invalid", "true")
            self.notices = [f"{problem}; keeping {sim.snapshot(self.state, ())['controls'][key]['text']}."]
            return
        self.notices = [f"{problem}; using the nearest allowed value."] if problem else []
        self.state = sim.with_value(self.state, key, value)

    def on_slider(self, event):
        self.apply_position(event.target.dataset.control, float(event.target.value))
        self.notices = []
        self.schedule()

    def on_entry(self, event):
        self.apply_entry(event.target.dataset.entry, event.target)
        self.schedule()

    def schedule(self):
        if not self.frame_pending:
            self.frame_pending = True
            window.requestAnimationFrame(self._on_frame)

    def on_frame(self, *_):
        self.frame_pending = False
        self.render()

    def render(self):
        self.painter.showNotices(_js(self.notices))
        self.painter.paint(_js(sim.snapshot(self.state)))
        url = f"{window.location.pathname}?{sim.to_query(self.state)}{window.location.hash}"
        window.history.replaceState(None, "", url)
        self.renders += 1
        # Benchmarks and tests wait on this count, never on a sleep.
        document.getElementById("simulator").dataset.renders = str(self.renders)
        if not self.painter.live:
            self.painter.goLive()


WIDGET = Widget()
WIDGET.render()
