"""The site's one chart palette, keyed by Material colour scheme and then by role.

Every chart on the site (the simulator's and the build-time ones) takes its
colours from here by the role a trace or mark plays, never by chart:
``compute`` and ``memory`` are the two lines, ``max`` their maximum, ``now``
the current batch, and so on. ``"default"`` is Material's light scheme and
``"slate"`` its dark one.

>>> color("slate", "compute"), color("nonsense", "memory")
('#74a7ff', '#d9480f')
"""

from __future__ import annotations

__all__ = ["FAMILY_ROLES", "PALETTE", "SCHEMES", "color", "colors", "scheme_of"]

#: The roles of the long-context family of memory lines, from short to long context.
FAMILY_ROLES: tuple[str, ...] = ("family0", "family1", "family2", "family3", "family4")

PALETTE: dict[str, dict[str, str]] = {
    "default": {
        "compute": "#1e63d0",
        "memory": "#d9480f",
        "max": "#212529",
        "text": "#343a40",
        "muted": "#6c757d",
        "grid": "#e1e4e8",
        "now": "#6f42c1",
        "legend": "rgba(255,255,255,0.8)",
        "wall": "#c92a2a",
        "shade": "rgba(134, 142, 150, 0.18)",
        "cost": "#2b8a3e",
        "balance": "#2b8a3e",
        "memory_fill": "rgba(217, 72, 15, 0.10)",
        "compute_fill": "rgba(30, 99, 208, 0.10)",
        "balance_fill": "rgba(47, 158, 68, 0.22)",
        "wall_fill": "rgba(217, 72, 15, 0.22)",
        "family0": "#ffa94d",
        "family1": "#f76707",
        "family2": "#d9480f",
        "family3": "#a61e4d",
        "family4": "#5f3dc4",
        "target": "#0b7285",
        "chosen": "#2b8a3e",
        # The serving estimate's stacked terms (roofline.web.serving_view), filled areas.
        "term_weights": "rgba(217, 72, 15, 0.55)",
        "term_kv": "rgba(250, 176, 5, 0.60)",
        "term_compute": "rgba(30, 99, 208, 0.50)",
        "term_overhead": "rgba(134, 142, 150, 0.55)",
        "term_communication": "rgba(111, 66, 193, 0.50)",
        "term_prefill": "rgba(43, 138, 62, 0.50)",
        "term_draft": "rgba(194, 37, 92, 0.45)",
    },
    "slate": {
        "compute": "#74a7ff",
        "memory": "#ff9f5a",
        "max": "#f1f3f5",
        "text": "#dee2e6",
        "muted": "#adb5bd",
        "grid": "#3b4048",
        "now": "#c8a2ff",
        "legend": "rgba(30,33,41,0.8)",
        "wall": "#ff8787",
        "shade": "rgba(173, 181, 189, 0.16)",
        "cost": "#8ce99a",
        "balance": "#69db7c",
        "memory_fill": "rgba(255, 159, 90, 0.13)",
        "compute_fill": "rgba(116, 167, 255, 0.13)",
        "balance_fill": "rgba(105, 219, 124, 0.25)",
        "wall_fill": "rgba(255, 159, 90, 0.28)",
        "family0": "#ffd8a8",
        "family1": "#ffa94d",
        "family2": "#ff8787",
        "family3": "#f783ac",
        "family4": "#b197fc",
        "target": "#66d9e8",
        "chosen": "#69db7c",
        "term_weights": "rgba(255, 159, 90, 0.55)",
        "term_kv": "rgba(255, 212, 59, 0.50)",
        "term_compute": "rgba(116, 167, 255, 0.50)",
        "term_overhead": "rgba(173, 181, 189, 0.45)",
        "term_communication": "rgba(200, 162, 255, 0.50)",
        "term_prefill": "rgba(140, 233, 154, 0.45)",
        "term_draft": "rgba(247, 131, 172, 0.45)",
    },
}

#: Material's two colour schemes: "default" (light) and "slate" (dark).
SCHEMES: tuple[str, ...] = tuple(PALETTE)


def scheme_of(name: str | None) -> str:
    """The palette for Material's ``data-md-color-scheme`` value: ``slate``, or ``default`` for anything else.

    >>> scheme_of("slate"), scheme_of(None), scheme_of("custom")
    ('slate', 'default', 'default')
    """
    return name if name in PALETTE else "default"


def colors(scheme: str | None) -> dict[str, str]:
    """Every role's colour in ``scheme`` (the light scheme's for an unknown name)."""
    return PALETTE[scheme_of(scheme)]


def color(scheme: str | None, role: str) -> str:
    """The colour of ``role`` in ``scheme``."""
    return colors(scheme)[role]
