"""The macros each docs page calls: one module per page (or group of pages), one helper module they share.

Every number a page prints is computed by :mod:`roofline` and formatted by
:mod:`roofline.units`; these modules pick the inputs, call the core and wrap
the result with :func:`.common.number_span` (``<span class="rl-num"
data-macro=… data-value=…>``), so tests can check each number. They do no
arithmetic of their own (``tests/fast/test_macros.py``).

=================  ==============================================================
module             page (``docs/``) and what its macros print
=================  ==============================================================
``common``         shared: ``number_span``, ``word_span``, ``spelled``, ``register``; table rows and macro blocks; a figure's container, scripts and layout; the seed readouts, token counts, slider limits
``figures``        every page: a chip's rates, a model's sizes and the ratios made of them
``explainer``      the article, sections I-IX: named scenarios, levers, prices, charts
``deployment``     ``deployment.md``: deployment cases and published serving figures
``frontier``       ``what-sets-the-batch.md``: the latency/throughput frontier
``serving``        ``against-real-servers.md``: published measurements beside the serving estimate
``hardware``       ``hardware.md``: the committed measurements of real machines
``speed``          ``speed.md``: the committed benchmark records
``compare``        ``compare/index.md``: the compare view's HTML, pre-rendered
=================  ==============================================================

The simulator page's macro lives with the simulator (:mod:`roofline_site.simulator`);
the charts these pages embed are built in :mod:`roofline_site.charts`.
:data:`roofline_site.MACRO_MODULES` lists the modules mkdocs-macros registers.
"""
