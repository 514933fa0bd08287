"""What the finished site needs to be served: its Content-Security-Policy and its precompressed copies.

* :mod:`.csp`: one strict policy in every page, allowing by hash the inline
  scripts found in any page (run once every page is written);
* :mod:`.compress`: ``FILE.gz`` (and for large files ``FILE.br``) beside
  each compressible file, for hosts that serve precompressed files (run last).

``scripts/static_server.py`` is the local server that sends those copies
with ``Content-Encoding`` (the tests and ``scripts/serve.sh`` use it).
"""
