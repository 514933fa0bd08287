"""The simulator page's glue in the browser: DOM events in, roofline snapshots out.

Every number, text and chart comes from one of the two modes of
``roofline.web`` (``article``, the article's model, or ``realistic``, a real
deployment), through the interface they share (``roofline.web.mode.Mode``);
painting is ``simulator.js``'s job, the same painter that drew the
pre-rendered snapshot. This module only turns inputs into a new state and
hands back a snapshot.

It runs only under Pyodide (it imports ``js`` and ``pyodide.ffi``), started by
the page's ``docs/simulator/main.py``. It lives in the wheel, not in that
file, so that the build's memory snapshot holds it imported and compiled: a
page that ran it as a script would compile it cold on every visit. Importing
it touches nothing in the page; :func:`start` does.
"""

import json

import js
from pyodide.ffi import create_proxy, to_js

from .controls import value_at
from .page import mode_named
from .query import mode_of

__all__ = ["Widget", "start"]


#: How long the address bar may lag behind a drag. Browsers throttle
#: history.replaceState when it is called every frame.
URL_DELAY_MS = 250


def _js(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


class Widget:
    """Holds each mode's state and paints the current one at most once per frame."""

    def __init__(self):
        self.root = js.document.getElementById("simulator")
        self.painter = js.window.rooflineSimulator
        query = js.window.location.search
        self.mode = mode_named(mode_of(query))
        state, self.notices = self.mode.parse(query)
        # The other mode's state is made on first switch to it.
        self.states = {self.mode.name: state}
        self.frame_busy = False
        self.dirty = False
        self.url_timer = None
        self.renders = 0
        self._on_frame = create_proxy(self.on_frame)
        self._write_url = create_proxy(self.write_url)
        # Exports and reset (simulator.js's buttons): the export's text, or the mode back at its default.
        self.painter.onExport = create_proxy(self.export)
        self.painter.onReset = create_proxy(self.reset)
        # The painter asks for a re-render when the reader switches light/dark.
        self.painter.onScheme = create_proxy(lambda *_: self.schedule())
        # Ids, attributes and selectors as the build wrote them (roofline.web.page), so the
        # realistic mode's are known without importing it.
        constants = json.loads(js.document.getElementById("rl-constants").textContent)
        handlers = [("change", f"input[name='{constants['modeRadio']}']", self.on_mode)]
        for name, (slider, entry) in constants["attributes"].items():
            handlers.append(("input", f"[{slider}]", self.slider_handler(name, slider)))
            handlers.append(("change", f"[{entry}]", self.entry_handler(name, entry)))
        handlers += [("change", "[data-pick]", self.on_pick), ("change", "[data-flag]", self.on_flag)]
        handlers.append(("change", "[data-optional]", self.on_optional))
        self._proxies = []
        self.early_inputs = 0
        # The mode first: what the reader did while Python was loading applies to it.
        for kind, selector, handler in handlers:
            proxy = create_proxy(handler)
            self._proxies.append(proxy)
            for element in self.root.querySelectorAll(selector):
                if element.hasAttribute("data-touched"):
                    handler(_Event(element), schedule=False)
                    self.early_inputs += 1
                element.addEventListener(kind, proxy)

    def start(self):
        """Go live, rendering only if the page does not already show this state.

        The pre-rendered snapshot was computed at build time by this same
        package from the same state, so painting it again would change
        nothing and cost Python's slowest render (the first) on the way to live.
        """
        if self.early_inputs or self.notices or not self.painter.shows(self.query()):
            self.render()
        else:
            self.write_url()
            self.painter.goLive()

    def export(self, kind):
        """The text of one export (``json``, ``readouts_csv``, ``frontier_csv``) of the state on screen."""
        from .export import exports

        return exports(self.mode, self.state_of(self.mode.name))[str(kind)]

    def reset(self, *_):
        """The current mode back at its default state."""
        self.states[self.mode.name] = self.mode.default
        self.notices = []
        self.changed(True)

    def state_of(self, name):
        """The state of mode ``name`` (its default until the reader changes it)."""
        mode = mode_named(name)
        return self.states.setdefault(name, mode.default)

    def slider_handler(self, name, attribute):
        def on_slider(event, schedule=True):
            mode, state = mode_named(name), self.state_of(name)
            key = event.target.getAttribute(attribute)
            value = value_at(mode.control(key), float(event.target.value), state)
            self.states[name] = mode.with_value(state, key, value)
            self.notices = []
            self.changed(schedule)

        return on_slider

    def entry_handler(self, name, attribute):
        def on_entry(event, schedule=True):
            mode, state = mode_named(name), self.state_of(name)
            key = event.target.getAttribute(attribute)
            value, problem = mode.check(state, key, event.target.value)
            refused = None if value is None else mode.refusal(state, key, value)
            if value is None:
                event.target.setAttribute("aria-invalid", "true")
                self.notices = [f"{problem}; keeping the current value."]
            elif refused is not None:
                event.target.setAttribute("aria-invalid", "true")
                self.notices = [refused]
            else:
                # A good number clears an earlier bad one's mark, and the box then shows the value in
                # use (a clamped one, say), though it keeps the focus: the painter writes it (simulator.js).
                event.target.removeAttribute("aria-invalid")
                event.target.dataset.committed = "1"
                self.notices = [f"{problem}; using the nearest allowed value."] if problem else []
                self.states[name] = mode.with_value(state, key, value)
            self.changed(schedule)

        return on_entry

    # --- pickers and switches, of whichever mode's panel holds them
    def _panel(self, event):
        """The name, mode and state of the mode whose panel holds the event's target."""
        name = event.target.closest("[data-mode-panel]").dataset.modePanel
        return name, mode_named(name), self.state_of(name)

    def on_pick(self, event, schedule=True):
        name, mode, state = self._panel(event)
        self.states[name], self.notices = mode.with_pick(state, event.target.dataset.pick, event.target.value)
        self.changed(schedule)

    def on_flag(self, event, schedule=True):
        name, mode, state = self._panel(event)
        self.states[name] = mode.with_flag(state, event.target.dataset.flag, bool(event.target.checked))
        self.notices = []
        self.changed(schedule)

    def on_optional(self, event, schedule=True):
        """The on/off box of an optional slider (the latency target)."""
        name, mode, state = self._panel(event)
        self.states[name] = mode.with_optional(state, event.target.dataset.optional, bool(event.target.checked))
        self.notices = []
        self.changed(schedule)

    def on_mode(self, event, schedule=True):
        if event.target.checked:
            self.mode = mode_named(mode_of({"mode": event.target.value}))
            self.notices = []
            self.changed(schedule)

    def changed(self, schedule):
        # A fix that depends on several inputs (a layout the new GPU count cannot run) is made here, with its notice.
        name = self.mode.name
        if name in self.states:
            self.states[name], more = self.mode.corrected(self.states[name])
            self.notices = [*self.notices, *more]
        if schedule:
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
        js.window.requestAnimationFrame(self._on_frame)

    def on_frame(self, *_):
        self.frame_busy = False
        if self.dirty:
            self.dirty = False
            self.schedule()

    def render(self):
        schemes = (self.painter.scheme(),)
        snap = self.mode.snapshot(self.state_of(self.mode.name), schemes)
        # One JSON string crosses into JavaScript faster than a converted dict tree.
        self.painter.paintJSON(json.dumps(snap, separators=(",", ":")), _js(self.notices))
        if self.url_timer is not None:
            js.window.clearTimeout(self.url_timer)
        self.url_timer = js.window.setTimeout(self._write_url, URL_DELAY_MS)
        self.renders += 1
        # Benchmarks and tests wait on this count, never on a sleep.
        self.root.dataset.renders = str(self.renders)
        if not self.painter.live:
            self.write_url()
            self.painter.goLive()

    def query(self):
        return self.mode.encode(self.state_of(self.mode.name))

    def write_url(self, *_):
        self.url_timer = None
        # A reference that starts at "?" keeps the document's own path: its pathname would not,
        # at an address such as //simulator/, where it reads as another host (a SecurityError).
        js.window.history.replaceState(None, "", f"?{self.query()}{js.window.location.hash}")


class _Event:
    """Stands in for the DOM event of an input made before Python was ready."""

    def __init__(self, target):
        self.target = target


def start():
    """Wire the page's widget to Python and bring it live; returns the widget."""
    widget = Widget()
    widget.start()
    return widget
