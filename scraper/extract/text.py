"""Text normalization shared by every extractor: what a reader sees, as one clean string.

Whitespace runs (no-break and thin spaces included) become one space, soft hyphens and zero-width
characters disappear: pages are typed in a CMS editor and carry all of them invisibly.
"""

from __future__ import annotations

import re

INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_space(text: str | None) -> str:
    """Collapse every whitespace run to one space, drop invisible characters, strip the ends."""
    if not text:
        return ""
    # Every character split() splits on, except the ASCII space, and every invisible character above
    # is non-printable: a printable text without doubled or outer spaces is already normal.
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    if INVISIBLE.search(text) is not None:
        text = INVISIBLE.sub("", text)
    # str.split() splits on exactly the characters _SPACES matches (str.isspace), several times faster.
    return " ".join(text.split())
