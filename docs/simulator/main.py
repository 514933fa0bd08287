"""The simulator page's glue: browser events in, roofline snapshots out.

Every number, text and chart comes from ``roofline.simulator``; painting is
``simulator.js``'s job (the same painter that drew the pre-rendered snapshot).
This file only turns inputs into a new State and hands back a snapshot.
"""

import json

import js
from pyodide.ffi import create_proxy, to_js
from pyscript import document, window

from roofline import simulator as sim

#: How long the address bar may lag behind a drag. Browsers throttle
#: history.replaceState when it is called every frame.
URL_DELAY_MS = 250


def _js(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


class Widget:
    """Holds the current state and paints it at most once per animation frame."""

    def __init__(self):
        self.painter = window.rooflineSimulator
        self.state, notices = sim.parse_query(window.location.search)
        self.notices = notices
        self.frame_busy = False
        self.dirty = False
        self.url_timer = None
        self.renders = 0
        self._on_slider = create_proxy(self.on_slider)
        self._on_entry = create_proxy(self.on_entry)
        self._on_frame = create_proxy(self.on_frame)
        self._write_url = create_proxy(self.write_url)
        # The painter asks for a re-render when the reader switches light/dark.
        self.painter.onScheme = create_proxy(lambda *_: self.schedule())
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
        """Render now unless this frame already has a render; then once at the next frame.

        Rendering at once (not in the next animation frame) saves up to a frame
        of latency; the frame guard still keeps it to one render per frame.
        """
        if self.frame_busy:
            self.dirty = True
            return
        self.render()
        self.frame_busy = True
        window.requestAnimationFrame(self._on_frame)

    def on_frame(self, *_):
        self.frame_busy = False
        if self.dirty:
            self.dirty = False
            self.schedule()

    def render(self):
        scheme = document.body.getAttribute("data-md-color-scheme") or "default"
        snap = sim.snapshot(self.state, schemes=(scheme,))
        # One JSON string crosses into JavaScript faster than a converted dict tree.
        self.painter.paintJSON(json.dumps(snap, separators=(",", ":")), _js(self.notices))
        if self.url_timer is not None:
            window.clearTimeout(self.url_timer)
        self.url_timer = window.setTimeout(self._write_url, URL_DELAY_MS)
        self.renders += 1
        # Benchmarks and tests wait on this count, never on a sleep.
        document.getElementById("simulator").dataset.renders = str(self.renders)
        if not self.painter.live:
            self.write_url()
            self.painter.goLive()

    def write_url(self, *_):
        self.url_timer = None
        url = f"{window.location.pathname}?{sim.to_query(self.state)}{window.location.hash}"
        window.history.replaceState(None, "", url)


WIDGET = Widget()
WIDGET.render()
