"""Stage 3, extract: direct speech in the article body, as `Quote` records in reading order.

Takes the body's paragraphs (whitespace-normalized text, no HTML) and hands `Quote` values to the
article extractor. Quotes are the part of a news record that people search by ("what did the governor
say"), so the speaker, the role and the verb are split apart instead of kept as one attribution string.

Russian news typography marks speech in these ways, all seen on the portal:

    «Текст», – отметил Сергей Курбатов.                      quote, then a dash and the attribution
    «Часть один, – пояснила Елена Гусева. – Часть два».       the attribution splits the quote
    Михаил Зотов подчеркнул: «Текст».                         the speaker, a verb and a colon first
    – Текст, – напомнили в облизбиркоме.                      a paragraph of dash-introduced speech

Guillemets also mark names (`«Единая Россия»`) and partial quotations inside reported speech
(`поблагодарил «за поддержку моего решения»`), so a guillemet span is a quote only when a speech verb
is attached to it. This module finds the speech and where its attribution stands; `speakers` reads
the attribution (verb, speaker, role) and `persons` keeps the persons named. Pronoun speakers
(`– отметил он`) are resolved to the last person named before the quote, which is why the paragraphs
are read in order with a small per-call register of names. A quote may also run over paragraphs:
each of them opens with « and only the last closes it (or a `<br>` cut one paragraph in two); it is
one quote, its paragraphs joined with a space.

Every scan is a precompiled regex anchored at a known position or a single left-to-right pass, so the
cost stays linear in the text: this runs on every page of a crawl. For the same reason the common case
is kept cheap: a paragraph with neither a guillemet nor an opening dash costs a few `str` checks, and
names are collected only when a pronoun speaker asks for them (see `persons.People`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scraper.extract.persons import People, verb_gender
from scraper.extract.speakers import Attribution, attribution_after, attribution_before, person_name
from scraper.models import Quote

_DASH = "[–—-]"
_DASHES = "–—-"

# After a closing guillemet: `», –`, `» –`, `!» –`.
_AFTER_QUOTE = re.compile(rf"\s*,?\s*{_DASH}\s*")
# Inside speech: the punctuation and dash that hand over to an attribution (`Часть один, – `). The
# ellipsis's last dot is written `\.(?<=\.\.\.)` so that every alternative opens with a literal: the
# regex engine then jumps from one punctuation mark to the next instead of trying every position.
_SPLIT_DASH = re.compile(rf"(?P<punct>,|!|\?|…|\.(?<=\.\.\.))\s*{_DASH}\s*")
# After an attribution, a dash that resumes the same speech (`Гусева. – Часть два`).
_RESUME = re.compile(rf"\s*[.,]\s*{_DASH}\s*")
_DASH_OPENING = re.compile(rf"\s*{_DASH}\s*")
_END_OF_SPEECH = re.compile(r"\s*[.!?…]?\s*$")
# A quote running over more paragraphs than this is taken for an unclosed guillemet.
_MAX_QUOTE_PARAGRAPHS = 20
_MAX_QUOTE_CHARS = 20_000

# A piece of speech: its text and who spoke it.
_Speech = tuple[str, Attribution]


# --- speech ---------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Quote text without the spaces and the trailing comma that belong to the sentence around it."""
    return text.strip().removesuffix(",").rstrip()


def _drop_final_period(text: str) -> str:
    """A paragraph of dash speech ends with the sentence's period, which is not part of the quote."""
    if text.endswith(".") and not text.endswith(".."):
        return text[:-1].rstrip()
    return text


def _has_dash(text: str, pos: int, end: int) -> bool:
    """Whether text[pos:end] has a dash at all: most quotes have none, and `str.find` beats a regex scan."""
    return text.find("–", pos, end) >= 0 or text.find("-", pos, end) >= 0 or text.find("—", pos, end) >= 0


def _find_split(text: str, pos: int, end: int) -> tuple[str, Attribution, int] | None:
    """The first `, – verb …` hand-over in text[pos:end]: the speech before it, who spoke, where it ends."""
    if not _has_dash(text, pos, end):
        return None
    for dash in _SPLIT_DASH.finditer(text, pos, end):
        found = attribution_after(text, dash.end(), end)
        if found is None:
            continue
        attribution, attribution_end = found
        punct = dash["punct"]
        head = text[pos : dash.start()] + ("" if punct == "," else punct)
        return _clean(head), attribution, attribution_end
    return None


def _split_speech(text: str, pos: int, end: int) -> tuple[list[_Speech], int]:
    """Dash-introduced speech in text[pos:end], as pieces with their attributions, and where it stops.

    A dash after an attribution resumes the speech: without an attribution of its own, the resumed
    part joins the quote before it with one space (`Часть один Часть два`).
    """
    speeches: list[_Speech] = []
    found = _find_split(text, pos, end)
    while found is not None:
        head, attribution, attribution_end = found
        resume = _RESUME.match(text, attribution_end, end)
        if resume is None:
            speeches.append((head, attribution))
            return speeches, attribution_end
        found = _find_split(text, resume.end(), end)
        if found is None:
            tail = _drop_final_period(_clean(text[resume.end() : end]))
            speeches.append((f"{head} {tail}".strip(), attribution))
            return speeches, end
        speeches.append((head, attribution))
    return speeches, pos


def _opens_sentence(text: str, quote_start: int) -> bool:
    """Whether a guillemet opens a sentence or follows a colon or a dash, as direct speech does.

    A guillemet after a word (`поблагодарил «за поддержку…»`) is a partial quotation in reported speech.
    """
    index = quote_start - 1
    while index >= 0 and text[index].isspace():
        index -= 1
    if index < 0 or text[index] in ".!?…:–—-(":
        return True
    return text[index] in '»"' and index > 0 and text[index - 1] in ".!?…"


def _guillemet_spans(text: str, start: int) -> list[tuple[int, int]]:
    """Outermost «…» spans from `start`, nested guillemets balanced; an unclosed span is dropped.

    A `»` outside any span is ignored. `str.find` jumps between the marks, each found once.
    """
    spans: list[tuple[int, int]] = []
    opened = text.find("«", start)
    while opened >= 0:
        depth = 1
        next_open = text.find("«", opened + 1)
        closed = opened
        while depth:
            closed = text.find("»", closed + 1)
            if closed < 0:
                return spans
            while 0 <= next_open < closed:  # nested openings before this closing mark
                depth += 1
                next_open = text.find("«", next_open + 1)
            depth -= 1
        spans.append((opened, closed))
        opened = next_open
    return spans


def _guillemet_speech(text: str, opened: int, closed: int) -> _Speech | None:
    """The quote a «…» span holds, if a speech verb is attached to it, else None (a name, a title)."""
    if _opens_sentence(text, opened):
        pieces, stop = _split_speech(text, opened + 1, closed)
        if len(pieces) == 1 and _END_OF_SPEECH.fullmatch(text, stop, closed):
            return pieces[0]
        after = _AFTER_QUOTE.match(text, closed + 1)
        found = attribution_after(text, after.end(), len(text)) if after is not None else None
        if found is not None:
            return _clean(text[opened + 1 : closed]), found[0]
    before = attribution_before(text, opened)
    if before is not None:
        return _clean(text[opened + 1 : closed]), before
    return None


# --- the paragraph walk ---------------------------------------------------------------------------


def _to_quote(speech: _Speech, people: People) -> Quote | None:
    """The record for one piece of speech; names it brings are remembered for later pronouns."""
    text, attribution = speech
    if not text:
        return None
    speaker = attribution.speaker
    if attribution.is_pronoun:
        speaker = people.last(verb_gender(attribution.verb))
    if speaker is not None and (attribution.is_person or attribution.is_pronoun):
        if " и " in speaker:  # persons speaking together are each a person named
            for name in speaker.split(" и "):
                people.mention(person_name(name))
        else:
            people.mention(speaker)
    return Quote(text=text, speaker=speaker, speaker_role=attribution.role, verb=attribution.verb)


def _paragraph_quotes(text: str, people: People, quotes: list[Quote]) -> int:
    """Append the quotes of a (non-empty) paragraph: the dash speech it opens with, then guillemet quotes.

    Returns where a « that the paragraph never closes opens, or -1 (see `_guillemet_quotes`).
    """
    pos = 0
    if text[0] in _DASHES or text[0].isspace():  # else _DASH_OPENING cannot match
        opening = _DASH_OPENING.match(text)
        if opening is not None:
            speeches, stop = _split_speech(text, opening.end(), len(text))
            if speeches:
                for speech in speeches:
                    quote = _to_quote(speech, people)
                    if quote is not None:
                        quotes.append(quote)
                pos = stop
    return _guillemet_quotes(text, pos, people, quotes)


def _guillemet_quotes(text: str, start: int, people: People, quotes: list[Quote]) -> int:
    """Append the quotes of the «…» spans from `start`; the text between them is plain, for names.

    Returns where a « that is never closed opens, or -1: the text from there is left unread, as the
    quote may go on in the next paragraph (the caller reads it, see `_read_open_quote`). The spans
    stop at such a «, so it is the first one after the last span: finding it costs a `str.find`.
    """
    plain_start = start
    for opened, closed in _guillemet_spans(text, start):
        people.observe(text, plain_start, opened)
        speech = _guillemet_speech(text, opened, closed)
        if speech is not None:
            quote = _to_quote(speech, people)
            if quote is not None:
                quotes.append(quote)
        plain_start = closed + 1
    unclosed = text.find("«", plain_start)
    people.observe(text, plain_start, len(text) if unclosed < 0 else unclosed)
    return unclosed


# --- quotes over paragraphs -----------------------------------------------------------------------


def _depth(text: str, start: int, depth: int) -> int:
    """How many «…» spans are still open after text[start:], `depth` (at least 1) being open before it;
    0 as soon as the outermost one closes. `str.find` jumps between the marks, as in `_guillemet_spans`."""
    next_open = text.find("«", start)
    closed = text.find("»", start)
    while closed >= 0:
        while 0 <= next_open < closed:
            depth += 1
            next_open = text.find("«", next_open + 1)
        depth -= 1
        if not depth:
            return 0
        closed = text.find("»", closed + 1)
    while next_open >= 0:
        depth += 1
        next_open = text.find("«", next_open + 1)
    return depth


def _continues_quote(paragraph: str) -> bool:
    """Whether a paragraph goes on with a quote left open: it reopens it (`«Второй абзац…`), as Russian
    typography does for each paragraph of a long quote, or closes it first (`работать», – …`), as a
    paragraph cut at a `<br>` does."""
    if paragraph.startswith("«"):
        return True
    closing = paragraph.find("»")
    return closing >= 0 and paragraph.find("«", 0, closing) < 0


def _continued_quote(text: str, opened: int, paragraphs: Sequence[str], following: int) -> tuple[str | None, int]:
    """The quote that opens at text[opened] and goes on in paragraphs[following:], as one text.

    The quote's paragraphs are joined to `text` with one space (each reopening « dropped), so the
    quote's text is theirs joined by a space, like the parts of a split quote, and its speaker is the
    one named after the closing » (`«Первый абзац.` + `«Второй абзац», – отметил Иван Петров.`).
    Returns the joined text and how many paragraphs it took. When the quote does not close, or not
    within `_MAX_QUOTE_PARAGRAPHS` paragraphs and `_MAX_QUOTE_CHARS` characters, returns None and how
    many paragraphs went on with it.
    """
    size = len(text) - opened
    if size > _MAX_QUOTE_CHARS or not _opens_sentence(text, opened):
        return None, 0
    depth = _depth(text, opened + 1, 1)
    parts = [text]
    for paragraph in paragraphs[following : following + _MAX_QUOTE_PARAGRAPHS - 1]:
        size += len(paragraph)
        if size > _MAX_QUOTE_CHARS or not _continues_quote(paragraph):
            return None, len(parts) - 1
        part = paragraph[1:] if paragraph.startswith("«") else paragraph
        parts.append(part)
        depth = _depth(part, 0, depth)
        if not depth:
            return " ".join(parts), len(parts) - 1
    end = following + len(parts) - 1
    if end < len(paragraphs) and _continues_quote(paragraphs[end]):  # too long: skip the rest of it too
        while end < len(paragraphs) and paragraphs[end].startswith("«") and "»" not in paragraphs[end]:
            end += 1
        end += 1  # the paragraph that closes it, if any, is read alone too
    return None, min(end, len(paragraphs)) - following


def _read_open_quote(paragraphs: Sequence[str], index: int, unclosed: int, people: People, quotes: list[Quote]) -> None:
    """Read paragraphs[index:], where paragraphs[index] was read up to a « it leaves open at `unclosed`.

    The rare case, so it has a loop of its own. A quote that never closes leaves its text unread as
    quotes (as an unclosed span in one paragraph is), and the paragraphs that went on with it are
    read one by one, none of them tried as the start of such a quote again: this keeps it linear.
    """
    text = paragraphs[index]
    alone = index  # paragraphs before this one are not tried as the start of a quote over paragraphs
    while True:
        if unclosed >= 0:
            joined, size = (None, 0)
            if index >= alone and index + 1 < len(paragraphs):
                joined, size = _continued_quote(text, unclosed, paragraphs, index + 1)
            if joined is not None:
                text, index = joined, index + size
                unclosed = _guillemet_quotes(text, unclosed, people, quotes)
                continue
            people.observe(text, unclosed, len(text))
            alone = max(alone, index + 1 + size)
        index += 1
        if index >= len(paragraphs):
            return
        text = paragraphs[index]
        unclosed = -1
        if "«" in text or (text and (text[0] in _DASHES or text[0].isspace())):
            unclosed = _paragraph_quotes(text, people, quotes)
        else:
            people.observe(text, 0, len(text))


def extract_quotes(paragraphs: Sequence[str]) -> list[Quote]:
    """Quotes in reading order from the article body's paragraphs (already whitespace-normalized text).

    The paragraphs are read in order because a pronoun speaker (`– добавила она`) means the last
    person named before it, possibly paragraphs earlier, and because a quote may run over paragraphs
    (see `_read_open_quote`).
    """
    people = People()
    quotes: list[Quote] = []
    for index, paragraph in enumerate(paragraphs):
        if "«" in paragraph or (paragraph and (paragraph[0] in _DASHES or paragraph[0].isspace())):
            unclosed = _paragraph_quotes(paragraph, people, quotes)
            if unclosed >= 0:
                _read_open_quote(paragraphs, index, unclosed, people, quotes)
                break
        else:  # most paragraphs: plain text, which only matters for the names it holds
            people.observe(paragraph, 0, len(paragraph))
    return quotes
