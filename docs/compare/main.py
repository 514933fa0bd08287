"""The compare page's Python, run by PyScript: bring the comparison live.

The glue (browser events in, comparison snapshots out) is
``roofline.web.compare_browser``, in the wheel: the build's memory snapshot
holds it imported and compiled, as it holds the simulator's.
"""

from roofline.web.compare_browser import start

WIDGET = start()
