"""Holding a page's requests back: the browser tests' one way to see the page before a runtime file arrives."""

from __future__ import annotations

from collections.abc import Callable


def hold(page: object, pattern: str) -> Callable[[], None]:
    """Hold every request of ``page`` matching ``pattern`` (a Playwright URL glob) until the returned function is called.

    Requests made after the release go through at once. A preload and the
    runtime's own fetch of the same file may be two requests: both are held.
    """
    held: list = []
    released = False

    def route(request_route) -> None:  # type: ignore[no-untyped-def]
        if released:
            request_route.continue_()
        else:
            held.append(request_route)

    def release() -> None:
        nonlocal released
        released = True
        for request_route in held:
            request_route.continue_()
        held.clear()

    page.route(pattern, route)
    return release
