"""The simulator's view: everything the page shows, computed in Python, with no DOM.

The model (``roofline.model`` and friends) knows nothing of this package;
this package reads the model and turns it into what a reader sees.

- :mod:`~roofline.web.mode`: the one interface both modes implement, and
  what they share (URL parsing and encoding, slider maths, readouts, snapshot);
- :mod:`~roofline.web.article` and :mod:`~roofline.web.realistic`: the two modes;
- :mod:`~roofline.web.controls`: sliders, pickers, switches (the table ``controls.toml``) and the slider maths;
- :mod:`~roofline.web.query`: URL queries without ``urllib`` (one rule for repeated keys);
- :mod:`~roofline.web.charts`: the charts and the pieces they are drawn from;
- :mod:`~roofline.web.serving_view` and :mod:`~roofline.web.frontier_view`: the
  serving estimate's terms and the frontier as the simulator shows them (the
  core's :mod:`roofline.serving` and :mod:`roofline.frontier` do the sums);
- :mod:`~roofline.web.palette`: the one palette, by role;
- :mod:`~roofline.web.page`: the constants the page's JavaScript reads.

Nothing is imported here: the page imports only the mode it shows, which
keeps Pyodide's start-up short.
"""

__all__: list[str] = []
