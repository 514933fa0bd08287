"""The simulator page's markup and the states it paints before Python runs.

:mod:`.widget` writes the widget's HTML at build time, filled with the
default state's readouts (the ``simulator_widget`` macro), and after the build
pre-renders the snapshot of every state the site links to
(:func:`.widget.write_prerender`). The widget's view logic is
:mod:`roofline.web` (no DOM); its JavaScript is ``docs/assets/javascripts/simulator.js``;
``docs/simulator/main.py`` is the glue PyScript runs in the page.
"""
