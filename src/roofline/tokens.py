"""Token counts as model cards and price sheets write them, read exactly.

A model card's "128K" context is 2^17 = 131,072 tokens (a binary K of 1,024),
a price sheet's "200K" threshold is 200,000 tokens (a decimal K of 1,000).
The site prints contexts as exact counts so the two cannot be confused; these
functions turn either spelling into that count (:func:`roofline.units.format_tokens`
prints it).

>>> model_card_tokens("128K"), price_sheet_tokens("200K")
(131072, 200000)
"""

from __future__ import annotations

import re

__all__ = ["MODEL_CARD_K", "PRICE_SHEET_K", "model_card_tokens", "price_sheet_tokens"]

#: Tokens in a model card's K (contexts are powers of two).
MODEL_CARD_K = 1024
#: Tokens in a price sheet's K.
PRICE_SHEET_K = 1000

_SPELLING = re.compile(r"(\d+)\s*([KM])", re.IGNORECASE)


def _read(text: str, k: int) -> int:
    match = _SPELLING.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"a token count must be a whole number followed by K or M, like '128K', got {text!r}")
    count, prefix = int(match.group(1)), match.group(2).upper()
    return count * (k if prefix == "K" else k * k)


def model_card_tokens(text: str) -> int:
    """The tokens a model card means by ``text`` ("4K" = 4,096; "1M" = 1,048,576)."""
    return _read(text, MODEL_CARD_K)


def price_sheet_tokens(text: str) -> int:
    """The tokens a price sheet means by ``text`` ("200K" = 200,000)."""
    return _read(text, PRICE_SHEET_K)

