"""The simulator page's Python, run by PyScript: bring the widget live.

The glue itself (browser events in, roofline snapshots out) is
``roofline.web.browser``, in the wheel: the build's memory snapshot holds it
imported and compiled, so this page compiles a few lines, not the widget.
"""

import js

# Marks for scripts/bench_browser.py: where Python's start-up time goes.
js.performance.mark("roofline:main-start")
from roofline.web.browser import start  # noqa: E402

js.performance.mark("roofline:imported")
WIDGET = start()
