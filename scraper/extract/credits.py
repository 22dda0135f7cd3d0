"""The photo credit: the source of the main image, without its label, as the reader sees it.

Found by the profile's credit selectors first, then by the label words anywhere in the story
(`Фото с сайта:`, `Фото:`, `Источник фото:`), which survive template changes better than class names.
A domain shown in punycode is given in Unicode, as a reader would read it (`липецкаяобласть.рф`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from selectolax.lexbor import LexborNode

from scraper.extract.dom import matches_in_order, select_all, select_first, visible_text
from scraper.extract.text import INVISIBLE_CHARS

# The labels of a credit line, with the colon or dash after them (`Фото с сайта` needs neither). A
# hyphen is a dash only with a space beside it: `Фото-отчет` is a word of the story, not a label.
_DASH = r"(?:\s*(?::|—|–)|\s+-|-\s)"
CREDIT_LABEL_PATTERN = rf"фото\s+с\s+сайта{_DASH}?|(?:фото\s+предоставлено|источник\s+фото|фотография|фото){_DASH}"
CREDIT_LABEL = re.compile(rf"^\s*(?:{CREDIT_LABEL_PATTERN})\s*", re.IGNORECASE)
# A credit in running text: "… встрече. Фото: пресс-служба …" (figcaptions). `На фото:` names who is
# pictured, a caption, never a credit.
CREDIT_INSIDE = re.compile(
    r"(?:^|[\s.;,(])(?<![Нн]а\s)(?:фото\s+с\s+сайта|фото\s+предоставлено|источник\s+фото|фото)\s*(?::|—|–)\s*"
    r"(?P<source>.+)$",
    re.IGNORECASE,
)
# A caption's label: who or what is pictured (`На фото: Ольга Семенова`).
CAPTION_LABEL_PATTERN = r"на\s+(?:фото|снимке|фотографии)\s*:"
# After a label without a colon (`Фото —`, `Фото с сайта`), a source is a few words (`пресс-служба
# правительства ДНР`, `oblsovet.ru`); a comma, more words or a verb make it a sentence of the story
# (`Фото – лучший способ …, считают организаторы`, `Фото с сайта мэрии удалили …`).
MAX_SOURCE_WORDS = 6
# Endings of verb forms (past and present plural: `удалили`, `опубликовали`, `считают`, `публикуют`)
# that the lower-case words of a source do not have (`торговли` and `земли` end in a consonant + `ли`).
_VERB_ENDINGS = ("али", "или", "ели", "ыли", "яли", "ают", "яют", "уют", "еют")
MAX_CREDIT_CHARS = 200
_UNSEEN = "script, style, noscript, template"
# The word every credit label contains, matched as CREDIT_LABEL matches it.
_LABEL_WORD = re.compile("фото", re.IGNORECASE)
_PUNY_LABEL = re.compile(r"\b(?:[a-z0-9-]+\.)*xn--[a-z0-9-]+(?:\.[a-z0-9-]+)*\b", re.IGNORECASE)


def _unpunycode(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        try:
            return match.group(0).encode("ascii").decode("idna")
        except UnicodeError:
            return match.group(0)

    return _PUNY_LABEL.sub(decode, text)


def _clean(source: str) -> str | None:
    source = source.strip().rstrip(".").strip()
    if not source or len(source) > MAX_CREDIT_CHARS:
        return None
    return _unpunycode(source)


def _reads_as_source(source: str) -> bool:
    """Whether the words after a label without a colon name a source rather than tell the story."""
    if "," in source or ";" in source:
        return False
    words = source.split()
    if len(words) > MAX_SOURCE_WORDS:
        return False
    for word in words:
        if len(word) >= 6 and word.islower() and word.rstrip(".!?…").endswith(_VERB_ENDINGS):
            return False
    return True


def _labelled_source(text: str, label: re.Match[str]) -> str | None:
    """What follows a credit label as a source, when it reads as one (see _reads_as_source)."""
    source = text[label.end() :]
    if ":" not in label.group(0) and not _reads_as_source(source):
        return None
    return _clean(source)


def is_credit_text(text: str) -> bool:
    """Whether a line opening with a credit label is the credit's line: the label alone, or with a source
    after it (a short one after a colon; after a dash, one that reads as a source)."""
    labelled = CREDIT_LABEL.match(text)
    if labelled is None:
        return False
    if not text[labelled.end() :].strip():
        return True
    return len(text) <= MAX_CREDIT_CHARS + 20 and _labelled_source(text, labelled) is not None


def credit_from_text(text: str, *, bare_allowed: bool) -> str | None:
    """The source named by a credit line; a line without a label counts only where `bare_allowed`."""
    labelled = CREDIT_LABEL.match(text)
    if labelled:
        return _labelled_source(text, labelled)
    inside = CREDIT_INSIDE.search(text)
    if inside:
        source = inside.group("source")
        if ":" in text[inside.start() : inside.start("source")] or _reads_as_source(source):
            return _clean(source)
        return None
    return _clean(text) if bare_allowed else None


def find_photo_credit(story: LexborNode, selectors: Sequence[str]) -> str | None:
    """The credit of the story's main image, or None when the page names no source."""
    return find_photo_credit_line(story, selectors)[0]


def find_photo_credit_line(story: LexborNode, selectors: Sequence[str]) -> tuple[str | None, str | None]:
    """(the credit, the visible text of the line it was read from), or (None, None).

    The line is what the body must leave out when the template put the credit inside the text.
    """
    for found in matches_in_order(story, selectors):
        for node in found:
            text = visible_text(node)
            if not text:
                continue
            # A figcaption without a label is a caption, not a credit; a credit block may be bare.
            credit = credit_from_text(text, bare_allowed=node.tag != "figcaption")
            if credit:
                return credit, text
    return _credit_by_label(story)


def is_credit_line(text: str, credit: str) -> bool:
    """Whether a line of text names just this credit, as a reader sees it (`липецкаяобласть.рф.` or
    its punycode for `липецкаяобласть.рф`)."""
    if len(text) > MAX_CREDIT_CHARS + 20:
        return False
    source = text.strip().rstrip(".").strip()
    # Most lines hold no punycode label: compared as they are, without the regex _clean runs.
    return source == credit or ("xn--" in source.lower() and _unpunycode(source) == credit)


def _may_hold_label(story: LexborNode) -> bool:
    """False only when no element's visible text can contain `фото` in any letter case.

    Text a reader never sees (invisible characters, scripts and styles) can split the word in the raw
    text while the visible text joins it, so a story holding either is always searched. The word is
    looked for only where an `ф` stands (the only letters case-insensitive matching takes for it):
    folding the whole story's case would cost more than the rest of the check.
    """
    text = story.text(deep=True)
    for letter in "фФ":
        at = text.find(letter)
        while at >= 0:
            if _LABEL_WORD.match(text, at):
                return True
            at = text.find(letter, at + 1)
    return any(char in text for char in INVISIBLE_CHARS) or select_first(story, _UNSEEN) is not None


def _credit_by_label(story: LexborNode) -> tuple[str | None, str | None]:
    """(credit, line) of the first short element of the story whose text starts with a credit label.

    Every label contains `фото`; a story whose text lacks it has no labelled element, which one
    C-level text read shows without a selector walk and a text read per element.
    """
    if not _may_hold_label(story):
        return None, None
    for node in select_all(story, "div, p, span, small, em, i, figcaption, td, li"):
        text = visible_text(node)
        label = CREDIT_LABEL.match(text) if text and len(text) <= MAX_CREDIT_CHARS + 20 else None
        if label is None:
            continue
        credit = _labelled_source(text, label)
        if credit:
            return credit, text
        if text[label.end() :].strip():
            continue  # words after the label that are no source: a sentence of the story
        following = node.next
        while following is not None and following.tag == "-text" and not (following.text_content or "").strip():
            following = following.next
        if following is not None:
            credit = _clean(visible_text(following) if following.tag != "-text" else following.text_content or "")
            return credit, text if credit else None
    return None, None
