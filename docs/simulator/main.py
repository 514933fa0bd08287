"""The simulator page's glue: browser events in, roofline out.

Every number, text and chart comes from ``roofline.simulator``; this file only
reads sliders and the URL, and writes readouts, the chart and the URL back.
"""

import js
from pyodide.ffi import create_proxy, to_js
from pyscript import document, window

from roofline import simulator as sim
from roofline.units import format_si

ROOT_ID = "simulator"
CHART_ID = "sim-chart"
PLOT_CONFIG = {"displayModeBar": False, "responsive": True}


def _js(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


class Widget:
    """Holds the current state and renders it at most once per animation frame."""

    def __init__(self):
        self.root = document.getElementById(ROOT_ID)
        self.chart = document.getElementById(CHART_ID)
        self.state, notices = sim.parse_query(window.location.search)
        self.frame_pending = False
        self.ready = False
        self.show_notices(notices)
        self.inputs = {c.key: document.getElementById(f"sim-{c.key}") for c in sim.CONTROLS}
        self._on_input = create_proxy(self.on_input)
        self._on_frame = create_proxy(self.on_frame)
        self._on_scheme = create_proxy(lambda *_: self.schedule())
        for element in self.inputs.values():
            element.addEventListener("input", self._on_input)
            element.disabled = False
        # Material flips data-md-color-scheme on <body> when the reader toggles dark mode.
        self.observer = js.MutationObserver.new(self._on_scheme)
        self.observer.observe(document.body, _js({"attributes": True, "attributeFilter": ["data-md-color-scheme"]}))

    def show_notices(self, notices):
        box = document.getElementById("sim-notices")
        box.replaceChildren()
        for text in notices:
            line = document.createElement("p")
            line.textContent = text  # never innerHTML: the text quotes the URL
            box.appendChild(line)
        box.hidden = not notices

    def on_input(self, event):
        key = event.target.dataset.control
        control = sim.control(key)
        value = sim.value_at(control, float(event.target.value), self.state)
        self.state = sim.with_value(self.state, key, value)
        self.schedule()

    def schedule(self):
        if not self.frame_pending:
            self.frame_pending = True
            window.requestAnimationFrame(self._on_frame)

    def on_frame(self, *_):
        self.frame_pending = False
        self.render()

    def render(self):
        state = self.state
        for control in sim.CONTROLS:
            value = state.value(control.key)
            element = self.inputs[control.key]
            element.max = sim.slider_steps(control, state)
            element.value = sim.position_of(control, value, state)
            text = format_si(value) + (f" {control.unit}" if control.unit else "")
            element.setAttribute("aria-valuetext", text)
            document.getElementById(f"sim-{control.key}-value").textContent = text
        low, high = control_range(sim.control("B"), state)
        document.getElementById("sim-B-range").textContent = f"{format_si(low)} to {format_si(high)}"
        for name, readout in sim.readouts(state).items():
            element = self.root.querySelector(f'[data-readout="{name}"]')
            element.textContent = readout.text
            element.dataset.value = readout.raw
            for mirror in self.root.querySelectorAll(f'[data-mirror="{name}"]'):
                mirror.textContent = readout.text
        for label in self.root.querySelectorAll("[data-batch-label]"):
            label.textContent = format_si(state.batch)
        document.getElementById("sim-explanation").textContent = sim.explanation(state)
        document.getElementById("sim-params").textContent = sim.params_line(state)
        scheme = document.body.getAttribute("data-md-color-scheme") or "default"
        figure = sim.figure(state, scheme)
        js.Plotly.react(self.chart, _js(figure["data"]), _js(figure["layout"]), _js(PLOT_CONFIG))
        url = f"{window.location.pathname}?{sim.to_query(state)}{window.location.hash}"
        window.history.replaceState(None, "", url)
        if not self.ready:
            self.ready = True
            document.getElementById("sim-status").hidden = True
            self.root.dataset.ready = "true"


def control_range(control, state):
    return control.minimum, (state.max_batch if control.key == "B" else control.maximum)


WIDGET = Widget()
WIDGET.render()
