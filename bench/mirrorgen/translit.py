"""DLE's transliteration of Russian headlines into URL slugs.

The portal's article URLs end in `{news_id}-{slug}.html`; the mirror must produce the same slugs the
CMS does, or links between mirror pages would not resolve.
"""

from __future__ import annotations

import re

TABLE: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
    "э": "je", "ю": "ju", "я": "ja",
}  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(title: str) -> str:
    """The URL slug DLE derives from a headline: transliterated, lower case, runs of other characters as `-`."""
    latin = "".join(TABLE.get(char, char) for char in title.lower())
    return _NOT_SLUG.sub("-", latin).strip("-")


if __name__ == "__main__":
    print(slug("Липецкая область и ДНР планируют запустить промышленную кооперацию"))
