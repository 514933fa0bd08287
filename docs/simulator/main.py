"""The simulator page's glue: browser events in, roofline snapshots out.

Every number, text and chart comes from ``roofline.simulator`` (the article's
model) or ``roofline.simulator_real`` (a real deployment); painting is
``simulator.js``'s job, the same painter that drew the pre-rendered snapshot.
This file only turns inputs into a new state and hands back a snapshot.
"""

import json

import js
from pyodide.ffi import create_proxy, to_js
from pyscript import document, window

# Marks for scripts/bench_browser.py: where Python's start-up time goes.
js.performance.mark("roofline:main-start")
from roofline import simulator as sim  # noqa: E402

js.performance.mark("roofline:imported")


class _Lazy:
    """``roofline.simulator_real``, imported on first use: the realistic mode
    pulls in the presets and the deployment model, which the article's mode
    never needs, and every import costs start-up time on Pyodide."""

    def __getattr__(self, name):
        import roofline.simulator_real as module

        globals()["real"] = module
        return getattr(module, name)


real = _Lazy()

#: How long the address bar may lag behind a drag. Browsers throttle
#: history.replaceState when it is called every frame.
URL_DELAY_MS = 250


def _js(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


class Widget:
    """Holds both modes' states and paints the current one at most once per frame."""

    def __init__(self):
        self.root = document.getElementById("simulator")
        self.painter = window.rooflineSimulator
        query = window.location.search
        self.mode = sim.mode_of(query)
        if self.mode == "real":
            self.article = sim.DEFAULT_STATE
            self.real, self.notices = real.parse_real_query(query)
        else:
            self.article, self.notices = sim.parse_query(query)
            self.real = None  # made on first switch to the realistic mode
        self.frame_busy = False
        self.dirty = False
        self.url_timer = None
        self.renders = 0
        self._on_frame = create_proxy(self.on_frame)
        self._write_url = create_proxy(self.write_url)
        # The painter asks for a re-render when the reader switches light/dark.
        self.painter.onScheme = create_proxy(lambda *_: self.schedule())
        handlers = (
            ("input", "[data-control]", self.on_slider),
            ("change", "[data-entry]", self.on_entry),
            ("input", "[data-real-control]", self.on_real_slider),
            ("change", "[data-real-entry]", self.on_real_entry),
            ("change", "[data-pick]", self.on_pick),
            ("change", "[data-flag]", self.on_flag),
            ("change", "input[name='sim-mode']", self.on_mode),
        )
        self._proxies = []
        self.early_inputs = 0
        # The mode first: what the reader did while Python was loading applies to it.
        for kind, selector, handler in sorted(handlers, key=lambda h: "sim-mode" not in h[1]):
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

    # --- the article's model
    def on_slider(self, event, schedule=True):
        key = event.target.dataset.control
        value = sim.value_at(sim.control(key), float(event.target.value), self.article)
        self.article = sim.with_value(self.article, key, value)
        self.notices = []
        self.changed(schedule)

    def on_entry(self, event, schedule=True):
        key = event.target.dataset.entry
        value, problem = sim.check_value(key, event.target.value, self.article)
        self.article = self.typed(event.target, value, problem, lambda v: sim.with_value(self.article, key, v))
        self.changed(schedule)

    # --- a real deployment
    @property
    def real_state(self):
        if self.real is None:
            self.real = real.DEFAULT_REAL_STATE
        return self.real

    def on_real_slider(self, event, schedule=True):
        key = event.target.dataset.realControl
        value = sim.value_at(real.real_control(key), float(event.target.value), self.real_state)
        self.real = real.with_real_value(self.real_state, key, value)
        self.notices = []
        self.changed(schedule)

    def on_real_entry(self, event, schedule=True):
        key = event.target.dataset.realEntry
        value, problem = real.check_real_value(key, event.target.value, self.real_state)
        self.real = self.typed(event.target, value, problem, lambda v: real.with_real_value(self.real_state, key, v))
        self.changed(schedule)

    def on_pick(self, event, schedule=True):
        self.real, self.notices = real.with_pick(self.real_state, event.target.dataset.pick, event.target.value)
        self.changed(schedule)

    def on_flag(self, event, schedule=True):
        self.real = real.with_flag(self.real_state, event.target.dataset.flag, bool(event.target.checked))
        self.notices = []
        self.changed(schedule)

    def on_mode(self, event, schedule=True):
        if event.target.checked:
            self.mode = event.target.value if event.target.value == "real" else "article"
            self.notices = []
            self.changed(schedule)

    def typed(self, entry, value, problem, apply):
        """Apply a typed value, or keep the state and say why not."""
        state = self.real_state if self.mode == "real" else self.article
        if value is None:
            entry.setAttribute("aria-invalid", "true")
            self.notices = [f"{problem}; keeping the current value."]
            return state
        self.notices = [f"{problem}; using the nearest allowed value."] if problem else []
        return apply(value)

    def changed(self, schedule):
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
        window.requestAnimationFrame(self._on_frame)

    def on_frame(self, *_):
        self.frame_busy = False
        if self.dirty:
            self.dirty = False
            self.schedule()

    def render(self):
        schemes = (document.body.getAttribute("data-md-color-scheme") or "default",)
        if self.mode == "real":
            snap = real.real_snapshot(self.real_state, schemes)
        else:
            snap = sim.snapshot(self.article, schemes)
        # One JSON string crosses into JavaScript faster than a converted dict tree.
        self.painter.paintJSON(json.dumps(snap, separators=(",", ":")), _js(self.notices))
        if self.url_timer is not None:
            window.clearTimeout(self.url_timer)
        self.url_timer = window.setTimeout(self._write_url, URL_DELAY_MS)
        self.renders += 1
        # Benchmarks and tests wait on this count, never on a sleep.
        self.root.dataset.renders = str(self.renders)
        if not self.painter.live:
            self.write_url()
            self.painter.goLive()

    def query(self):
        return real.to_real_query(self.real_state) if self.mode == "real" else sim.to_query(self.article)

    def write_url(self, *_):
        self.url_timer = None
        window.history.replaceState(None, "", f"{window.location.pathname}?{self.query()}{window.location.hash}")


class _Event:
    """Stands in for the DOM event of an input made before Python was ready."""

    def __init__(self, target):
        self.target = target


WIDGET = Widget()
WIDGET.start()
