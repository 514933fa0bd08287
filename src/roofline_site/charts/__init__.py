"""Build-time plotly charts: every point from a core sweep, every label from :mod:`roofline.units`.

:mod:`.catalog` holds the explainer and frontier pages' charts (``CHARTS``,
by name; :func:`.catalog.chart_json` gives both colour schemes of one), which
the page embeds and ``docs/assets/javascripts/charts.js`` draws with the
vendored plotly.js. The colours come from :mod:`roofline.web.palette`.
"""
