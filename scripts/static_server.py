"""Serve a built site on 127.0.0.1 as a static host does: MIME types, compression, caching.

Usage: python scripts/static_server.py [--directory site] [--port 8000]

Python's own ``http.server`` maps ``.mjs`` and ``.wasm`` only on newer
versions; browsers refuse module scripts and streaming WebAssembly served as
anything else. When the client accepts brotli or gzip and the build wrote
``FILE.br`` or ``FILE.gz`` beside ``FILE`` (``src/roofline_site/serve/compress.py``),
the compressed copy is sent with ``Content-Encoding``, as real hosts do
(brotli first). Every response says
``Cache-Control: max-age=600``, as GitHub Pages does.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
from typing import ClassVar

TYPES = {
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".snapshot": "application/octet-stream",
}
CACHE_CONTROL = "max-age=600"


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def send_head(self):  # type: ignore[no-untyped-def]
        """The file, or its ``.br`` / ``.gz`` copy with ``Content-Encoding`` when the client takes it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        found = [
            (encoding, path + suffix)
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz"))
            if encoding in accepted and os.path.isfile(path + suffix)
        ]
        if not found or not os.path.isfile(path):
            return super().send_head()
        encoding, compressed = found[0]
        stream = open(compressed, "rb")  # the base class copies it out and closes it
        try:
            size = os.fstat(stream.fileno()).st_size
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(size))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
        except Exception:
            stream.close()
            raise
        return stream

    def end_headers(self) -> None:
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()


class QuietHandler(Handler):
    """The same, without a log line per request (for tests and benchmarks)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


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
