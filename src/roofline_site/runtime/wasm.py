"""The active data segments of a WebAssembly module, and XOR against them.

When Pyodide starts, WebAssembly copies each *active* data segment of
``pyodide.asm.wasm`` to its address in linear memory; most of those bytes are
never written again. A memory snapshot therefore repeats about 3 MB that the
page downloads anyway in the wasm. XOR-ing the snapshot's heap with the
segments turns every unchanged byte into a zero, which compresses to almost
nothing; XOR-ing again with the same segments gives the heap back, exactly
(``docs/assets/javascripts/pyodide-boot.mjs`` does that in the browser).

Only what the binary format needs here is parsed (WebAssembly core
specification, section 5.5.14 "Data section"): section ids and sizes, and
each segment's flags (0: active in memory 0; 1: passive, skipped; 2: active
with an explicit memory index), its offset expression (``i32.const n; end``
only) and its bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataSegment", "WasmError", "data_section", "data_segments", "segment_image", "segment_span", "xor_segments"]

_HEADER = b"\0asm\x01\0\0\0"
_DATA_SECTION = 11
_I32_CONST = 0x41
_END = 0x0B


class WasmError(ValueError):
    """The bytes are not a WebAssembly module this parser understands."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DataSegment:
    """One active data segment: ``data`` lands at linear-memory address ``address_bytes``."""

    address_bytes: int
    data: bytes


def _uleb(data: bytes, pos: int) -> tuple[int, int]:
    """An unsigned LEB128 integer at ``pos``, and the position after it.

    >>> _uleb(bytes([0xE5, 0x8E, 0x26]), 0)
    (624485, 3)
    """
    value = shift = 0
    while True:
        if pos >= len(data):
            raise WasmError(f"LEB128 integer runs past the end at byte {pos}")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _sleb(data: bytes, pos: int) -> tuple[int, int]:
    """A signed LEB128 integer at ``pos`` (``i32.const`` operands are signed).

    >>> _sleb(bytes([0xC0, 0xBB, 0x78]), 0)
    (-123456, 3)
    """
    start = pos
    value, pos = _uleb(data, pos)
    bits = 7 * (pos - start)
    if data[pos - 1] & 0x40:
        value -= 1 << bits
    return value, pos


def data_section(wasm: bytes) -> bytes:
    """The payload of the module's data section (empty if it has none).

    Raises:
        WasmError: if ``wasm`` is not a WebAssembly 1.0 binary.
    """
    if wasm[: len(_HEADER)] != _HEADER:
        raise WasmError(f"not a WebAssembly 1.0 module (starts with {wasm[:8]!r})")
    pos = len(_HEADER)
    while pos < len(wasm):
        section = wasm[pos]
        size, pos = _uleb(wasm, pos + 1)
        if section == _DATA_SECTION:
            return wasm[pos : pos + size]
        pos += size
    return b""


def data_segments(wasm: bytes) -> list[DataSegment]:
    """The module's active data segments in file order (passive ones are skipped).

    Raises:
        WasmError: if ``wasm`` is not a WebAssembly 1.0 binary, or a segment's
            offset is anything but a constant (position-independent code).
    """
    section = data_section(wasm)
    return _segments(section) if section else []


def _segments(section: bytes) -> list[DataSegment]:
    count, pos = _uleb(section, 0)
    found = []
    for index in range(count):
        flags, pos = _uleb(section, pos)
        if flags == 1:  # passive: copied by memory.init at run time, if ever
            size, pos = _uleb(section, pos)
            pos += size
            continue
        if flags == 2:
            memory, pos = _uleb(section, pos)
            if memory != 0:
                raise WasmError(f"data segment {index} is for memory {memory}; only memory 0 is supported")
        elif flags != 0:
            raise WasmError(f"data segment {index} has flags {flags}, not 0, 1 or 2")
        if section[pos] != _I32_CONST:
            raise WasmError(f"data segment {index}'s offset is not an i32.const (opcode {section[pos]:#x})")
        address, pos = _sleb(section, pos + 1)
        if section[pos] != _END or address < 0:
            raise WasmError(f"data segment {index}'s offset expression is not a plain non-negative constant")
        size, pos = _uleb(section, pos + 1)
        found.append(DataSegment(address_bytes=address, data=section[pos : pos + size]))
        pos += size
    return found


def segment_span(segments: list[DataSegment], *, base_bytes: int = 0) -> tuple[int, int]:
    """``(start, length)`` in bytes of the memory the segments cover, widened to
    whole 4-byte words of ``base_bytes + address``, so the browser can XOR a
    word at a time over one copy of it (the gaps between segments are zeros).

    >>> segment_span([DataSegment(address_bytes=1030, data=b"abc"), DataSegment(address_bytes=1024, data=b"x")], base_bytes=2)
    (1022, 12)
    """
    if not segments:
        return 0, 0
    first = min(segment.address_bytes for segment in segments)
    last = max(segment.address_bytes + len(segment.data) for segment in segments)
    start = first - (base_bytes + first) % 4
    return start, last - start + (-(last - start) % 4)


def segment_image(segments: list[DataSegment], start: int, length: int) -> bytes:
    """Memory ``[start, start + length)`` as the segments leave it when the wasm starts (zeros between them).

    >>> segment_image([DataSegment(address_bytes=5, data=b"ab")], 4, 4)
    b'\\x00ab\\x00'
    """
    image = bytearray(length)
    for segment in segments:
        at = segment.address_bytes - start
        image[at : at + len(segment.data)] = segment.data
    return bytes(image)


def xor_segments(memory: bytes, segments: list[DataSegment], *, base_bytes: int = 0) -> bytes:
    """``memory`` with each segment's bytes XOR-ed in at ``base_bytes + address``.

    Its own inverse: applying it twice gives ``memory`` back. A segment that
    runs past the end of ``memory`` is cut there.

    >>> segment = DataSegment(address_bytes=1, data=b"ab")
    >>> xor_segments(b"xabz", [segment])
    b'x\\x00\\x00z'
    >>> xor_segments(xor_segments(b"xabz", [segment]), [segment])
    b'xabz'
    """
    out = bytearray(memory)
    for segment in segments:
        start = base_bytes + segment.address_bytes
        part = segment.data[: max(0, len(out) - start)]
        if part:
            mixed = int.from_bytes(out[start : start + len(part)], "little") ^ int.from_bytes(part, "little")
            out[start : start + len(part)] = mixed.to_bytes(len(part), "little")
    return bytes(out)
