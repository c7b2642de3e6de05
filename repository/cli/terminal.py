"""What rli prints on a terminal shows no control characters from the data.

A harvested title, an imported list's owner or a provider's error text may hold
control characters: XML 1.0 allows U+0080 to U+009F, and among them CSI (U+009B)
and OSC (U+009D) begin escape sequences that can retitle the window, hide or
rewrite what is shown. When standard output or standard error is a terminal,
every C0 control but tab, line feed and carriage return, DEL and every C1 control
is written as U+FFFD, in text and in what a command writes as bytes (an export shown on
the terminal, :func:`shown_bytes`). A file or a pipe gets it as it is: an export stays
byte-exact.
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_UTF8 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")


class _Shown:
    """A text stream that writes control characters as U+FFFD (else as the stream it wraps)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_CONTROL.sub("\ufffd", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, buffer...
        return getattr(self._stream, name)


def guard() -> None:
    """Make standard output and standard error show no control characters, where each is
    a terminal."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _Shown) and stream.isatty():
            setattr(sys, name, _Shown(stream))


def shown_bytes(data: bytes) -> bytes:
    """UTF-8 ``data`` as a terminal may be given it: the controls above as U+FFFD."""
    return _CONTROL_UTF8.sub("\ufffd".encode(), data)
