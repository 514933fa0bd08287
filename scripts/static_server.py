"""Serve a built site on 127.0.0.1 with the MIME types Pyodide needs.

Usage: python scripts/static_server.py [--directory site] [--port 8000]

Python's own ``http.server`` maps ``.mjs`` and ``.wasm`` only on newer
versions; browsers refuse module scripts and streaming WebAssembly served as
anything else.
"""

from __future__ import annotations

import argparse
import functools
import http.server
from typing import ClassVar

TYPES = {".mjs": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", default="site")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    handler = functools.partial(Handler, directory=args.directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
