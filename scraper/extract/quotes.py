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
is attached to it. Pronoun speakers (`– отметил он`) are resolved to the last person named before the
quote, which is why the paragraphs are read in order with a small per-call register of names.

Every scan is a precompiled regex anchored at a known position or a single left-to-right pass, so the
cost stays linear in the text: this runs on every page of a crawl. For the same reason the common case
is kept cheap: a paragraph with neither a guillemet nor an opening dash costs a few `str` checks, and
names are collected only when a pronoun speaker asks for them (see `_People`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from scraper.models import Quote

Gender = Literal["m", "f"] | None


def _words(text: str) -> tuple[str, ...]:
    """Word lists are kept as plain text so that a reader can scan and extend them."""
    return tuple(text.split())


_DASH = "[–—-]"
_DASHES = "–—-"

# Speech verbs. Past tense in every gender and number is built from the stem before "-л".
_PAST_STEMS = _words(
    """акцентирова возрази воскликну вспомина вспомни говори добави добавля доложи дополни завери заключи
    замети заяви констатирова написа напомина напомни настаива объясни объясня ответи отмети отмеча
    отреагирова оцени парирова повтори подтверди подчеркива подчеркну подчёркива подчёркну подытожи
    пообеща попроси посетова потребова пошути поясни поясня предложи предположи предупреди призва
    признава продолжи проинформирова прокомментирова процитирова размышля разъясни рассказа рассказыва
    рассужда резюмирова сказа сообща сообщи спрогнозирова спроси сформулирова счита убежда уверя указа
    утвержда уточни уточня цитирова"""
)
_PAST_REFLEXIVE_STEMS = _words(
    """возмути высказа дели обрати отчита подели поинтересова пожалова похвали призна согласи"""
)
# Present tense, impersonal (`говорится в сообщении`) and short-adjective (`уверен он`) forms, whole.
_PRESENT_FORMS = _words(
    """вспоминает вспоминают говорит говорят делится делятся добавляет добавляют заверяет замечает
    комментирует комментируют констатирует констатируют напоминает напоминают настаивает объясняет
    объясняют отвечает отмечает отмечают пишет пишут подчеркивает подчёркивает подчеркивают подчёркивают
    полагает полагают поясняет поясняют предупреждает признается признаётся рассказывает рассказывают
    рассуждает резюмирует сетует сообщает сообщают считает считают уверяет уверяют утверждает утверждают
    уточняет уточняют говорится отмечается подчеркивается подчёркивается поясняется сообщается
    указывается уточняется убежден убеждён убеждена убеждены уверен уверена уверены"""
)


def _verb_forms() -> frozenset[str]:
    """All verb forms; each is one word, so a speech verb is recognised by a set lookup."""
    forms = [stem + ending for stem in _PAST_STEMS for ending in ("л", "ла", "ло", "ли")]
    forms += [stem + ending for stem in _PAST_REFLEXIVE_STEMS for ending in ("лся", "лась", "лось", "лись")]
    forms += _PRESENT_FORMS
    return frozenset(forms)


_VERB_FORMS = _verb_forms()
# Adverbs that may stand next to the verb without being part of the attribution.
_FILLERS = frozenset(_words("также ещё еще тогда затем позже потом вновь снова далее уже особо отдельно"))
_FILLER = "(?:" + "|".join([*sorted(_FILLERS), "в свою очередь"]) + ")"

# The word at the start of an attribution, after optional adverbs that are not part of it. It is the
# speech verb when it is in _VERB_FORMS and no hyphen follows: one set lookup instead of trying a few
# hundred alternatives (no adverb is a verb, so only the word after all the adverbs can be one).
_LEAD_WORD = re.compile(rf"(?:{_FILLER}\s+){{0,2}}(\w+)")
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

# One token of an attribution; tokens are separated by whitespace only, so any other punctuation ends
# the attribution. An initial is a capital with a dot that a capital follows (`А.В. Гусев`).
_TOKEN_PATTERN = r"«[^«»]{0,80}»|\"[^\"]{0,80}\"|[А-ЯЁA-Z]\.(?=\s?[А-ЯЁA-Z])|\w[\w-]*"
_TOKEN = re.compile(_TOKEN_PATTERN)
# A token and the whitespace before it, so that reading forward takes one match per token.
_SPACED_TOKEN = re.compile(rf"\s*({_TOKEN_PATTERN})")
# Tokens separated by whitespace, or by nothing after an initial's dot: a run that ends at a colon is
# the attribution before a quote. Atomic groups make each token exactly the one _TOKEN finds.
_TOKEN_RUN = re.compile(rf"(?>{_TOKEN_PATTERN})(?:(?:\s+|(?<=\.))(?>{_TOKEN_PATTERN}))*")
_MAX_ATTRIBUTION_TOKENS = 30
_BEFORE_WINDOW = 300

_NAME_WORD = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?![\w-])")
# Runs of capitalised words separated by whitespace, found in one C-level scan.
_NAME_RUN = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:\s+[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)*(?![\w-])")
_INITIAL = re.compile(r"[А-ЯЁA-Z]\.")
_PATRONYMIC = re.compile(r"[А-ЯЁ][а-яё]+(?:ович|евич|ич|овна|евна|ична|инична)")

_SURNAME_ENDINGS = _words(
    """ов ев ёв ин ын ский цкий ской ова ева ёва ина ына ская цкая енко ян янц дзе швили ук юк ич ых их"""
)
_FEMALE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")
_MALE_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ской")

_MALE_NAMES = frozenset(
    _words(
        """Александр Алексей Анатолий Андрей Антон Аркадий Арсений Артём Артем Артур Ахмат Богдан Борис
    Вадим Валентин Валерий Василий Вениамин Виктор Виталий Владимир Владислав Всеволод Вячеслав
    Геннадий Георгий Герман Глеб Григорий Даниил Данила Денис Дмитрий Евгений Егор Захар Иван Игорь
    Илья Иннокентий Иосиф Ринат Кирилл Константин Лев Леонид Максим Марат Марк Матвей Михаил Никита
    Николай Олег Павел Пётр Петр Радий Рамзан Рашид Роберт Родион Роман Руслан Рустам Семён Семен
    Сергей Станислав Степан Тимофей Тимур Фёдор Федор Филипп Шамиль Эдуард Эльдар Юрий Яков
    Ярослав"""
    )
)
_FEMALE_NAMES = frozenset(
    _words(
        """Александра Алёна Алена Алина Алла Анастасия Ангелина Анна Антонина Валентина Валерия Вера
    Вероника Виктория Галина Дарья Диана Дина Ева Евгения Екатерина Елена Елизавета Жанна Зинаида
    Зоя Инна Ирина Карина Кира Кристина Ксения Лариса Лидия Лилия Любовь Людмила Майя Маргарита
    Марина Мария Надежда Наталья Наталия Нина Оксана Олеся Ольга Полина Раиса Светлана Снежана
    София Софья Таисия Тамара Татьяна Ульяна Элла Эльвира Эльмира Юлия Яна"""
    )
)
_FIRST_NAMES = _MALE_NAMES | _FEMALE_NAMES

_PRONOUNS = frozenset({"он", "она", "оно", "они"})
_PREPOSITIONS = frozenset(
    {"в", "во", "на", "по", "для", "при", "после", "перед", "с", "со", "у", "из", "от", "об", "о", "к", "ко", "за"}
)

# A token as (text, start, end): plain tuples, because attributions are tokenized on every quote.
_Token = tuple[str, int, int]


class _Attribution(NamedTuple):
    """Who spoke, before pronouns are resolved: a pronoun can only be resolved in reading order."""

    verb: str
    speaker: str | None
    role: str | None
    is_person: bool
    is_pronoun: bool


# A piece of speech: its text and who spoke it.
_Speech = tuple[str, _Attribution]


# --- persons named so far -------------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    name: str
    surname: str
    gender: Gender


def _person(name: str) -> _Person:
    words = [w for w in name.split() if not _INITIAL.fullmatch(w) and _NAME_WORD.fullmatch(w)]
    if not words:
        return _Person(name, name, None)
    surname = words[0] if len(words) >= 2 and _PATRONYMIC.fullmatch(words[-1]) else words[-1]
    return _Person(name, surname, _name_gender(words, surname))


def _name_gender(words: list[str], surname: str) -> Gender:
    if any(w in _FEMALE_NAMES for w in words):
        return "f"
    if any(w in _MALE_NAMES for w in words):
        return "m"
    lowered = surname.lower()
    if lowered.endswith(_FEMALE_SURNAME_ENDINGS):
        return "f"
    if lowered.endswith(_MALE_SURNAME_ENDINGS):
        return "m"
    return None


def _verb_gender(verb: str) -> Gender:
    if verb.endswith(("ла", "лась", "на")):
        return "f"
    if verb.endswith(("л", "лся", "ен", "ён")):
        return "m"
    return None


class _People:
    """The persons named so far in one article, most recent last.

    A later mention of a known surname (`Курбатов`, `И. Артамонов`) is the same person, so a pronoun
    resolves to the full name as first written (`Сергей Курбатов`).

    Only a pronoun speaker ever asks who was named, and most articles have none, while noting names
    means scanning all the plain text. So `observe()` and `mention()` just log their arguments, and
    `last()` first replays the log in order: the register then holds what eager calls would have built.
    """

    __slots__ = ("_log", "_people")

    def __init__(self) -> None:
        self._people: list[_Person] = []
        self._log: list[str | tuple[str, int, int]] = []

    def mention(self, name: str) -> None:
        """Note a speaker's name (replayed by `_mention`)."""
        self._log.append(name)

    def observe(self, text: str, start: int, end: int) -> None:
        """Note the persons plain text[start:end] names (replayed by `_observe`)."""
        if start < end:
            self._log.append((text, start, end))

    def last(self, gender: Gender) -> str | None:
        """The last person named; `он`/`она` skip persons of the other gender when one fits."""
        self._replay()
        if not self._people:
            return None
        if gender is not None:
            for person in reversed(self._people):
                if person.gender in (gender, None):
                    return person.name
        return self._people[-1].name

    def _replay(self) -> None:
        for event in self._log:
            if isinstance(event, str):
                self._mention(event)
            else:
                text, start, end = event
                self._observe(text[start:end])
        self._log.clear()

    def _mention(self, name: str) -> None:
        person = _person(name)
        for index, known in enumerate(self._people):
            if known.surname == person.surname:
                if len(known.name.split()) == 1 and len(person.name.split()) > 1:
                    known.name = person.name
                    known.gender = known.gender or person.gender
                self._people.append(self._people.pop(index))
                return
        self._people.append(person)

    def _observe(self, text: str) -> None:
        """Note the persons a plain sentence names: a first name and a surname, or a known surname."""
        for match in _NAME_RUN.finditer(text):
            words = match.group().split()
            if len(words) == 1 and not self._people:
                continue  # a lone capitalised word names someone only when it is a known surname
            self._observe_run(words)

    def _observe_run(self, words: list[str]) -> None:
        index = 0
        while index < len(words):
            word = words[index]
            if word in _FIRST_NAMES and index + 1 < len(words):
                size = 3 if index + 2 < len(words) and _PATRONYMIC.fullmatch(words[index + 1]) else 2
                self._mention(" ".join(words[index : index + size]))
                index += size
                continue
            if any(known.surname == word for known in self._people):
                self._mention(word)
            index += 1


# --- attributions ---------------------------------------------------------------------------------


def _tokens_from(text: str, pos: int, end: int) -> list[_Token]:
    """The whitespace-separated tokens of an attribution in text[pos:end]."""
    tokens: list[_Token] = []
    match = _SPACED_TOKEN.match(text, pos, end)
    while match is not None:
        start, pos = match.span(1)
        if tokens and start == tokens[-1][2] and not tokens[-1][0].endswith("."):
            break  # glued to the previous token, which only an initial's dot allows
        tokens.append((match[1], start, pos))
        if len(tokens) == _MAX_ATTRIBUTION_TOKENS:
            break
        match = _SPACED_TOKEN.match(text, pos, end)
    return tokens


def _tokens_before(text: str, end: int) -> list[_Token]:
    """The whitespace-separated tokens that run up to `end`, back to the clause's punctuation.

    The window is split into runs by one regex scan; only the last run can reach `end`.
    """
    run = None
    for match in _TOKEN_RUN.finditer(text, max(0, end - _BEFORE_WINDOW), end):
        run = match
    if run is None or text[run.end() : end].strip():
        return []
    return [(match[0], match.start(), match.end()) for match in _TOKEN.finditer(text, run.start(), end)]


# The token tests below first check a letter (every patronymic ends in -ич or -на), which spares most
# words the regex.


def _is_name_word(word: str) -> bool:
    return word[0].isupper() and _NAME_WORD.fullmatch(word) is not None


def _is_initial(word: str) -> bool:
    return word[-1] == "." and _INITIAL.fullmatch(word) is not None


def _is_patronymic(word: str) -> bool:
    return word.endswith(("ич", "на")) and _PATRONYMIC.fullmatch(word) is not None


def _is_first_name(word: str, sentence_start: bool) -> bool:
    """A known first name, or, inside a sentence, a capitalised word ending like one (`Гурген`)."""
    if word in _FIRST_NAMES:
        return True
    if sentence_start or not _is_name_word(word):
        return False
    return word[-1] not in "аяеёиоуыэюйь"


def _name_start(words: list[str], sentence_start: bool) -> int | None:
    """Where the person's name begins in an attribution (its token texts) that ends with it, if it does.

    One to three capitalised words: a surname with up to two initials before it, first name and
    surname, first name + patronymic + surname (either order), or a bare surname. `sentence_start`
    means the first word is capitalised only because it opens the sentence (`Губернатор Артамонов`).
    """
    count = len(words)
    if count == 0 or not _is_name_word(words[-1]):
        return None
    first = count - 1
    while first > 0 and count - first <= 2 and _is_initial(words[first - 1]):
        first -= 1
    if first < count - 1:
        return first
    if count >= 3 and _is_patronymic(words[-2]) and _is_name_word(words[-3]):
        return count - 3
    if count >= 3 and _is_patronymic(words[-1]) and _is_name_word(words[-2]) and _is_name_word(words[-3]):
        return count - 3
    if count >= 2 and _is_first_name(words[-2], sentence_start and count == 2):
        return count - 2
    if words[-1].lower().endswith(_SURNAME_ENDINGS):
        return count - 1
    return None


def _strip_fillers(tokens: list[_Token]) -> list[_Token]:
    """Drop adverbs between the verb and the speaker (`– отметил также он`, `– в свою очередь …`)."""
    skip = 0
    while skip < len(tokens):
        word = tokens[skip][0]
        if word in _FILLERS:
            skip += 1
        elif word == "в" and [token[0] for token in tokens[skip : skip + 3]] == ["в", "свою", "очередь"]:
            skip += 3
        else:
            break
    return tokens[skip:] if skip else tokens


def _speaker(text: str, head: list[_Token], verb: str, before_quote: bool) -> _Attribution | None:
    """The pronoun or the person that the tokens `head` end with, if they do."""
    words = [token[0] for token in head]
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return _Attribution(verb, None, None, is_person=False, is_pronoun=True)
    start = _name_start(words, sentence_start=before_quote)
    if start is None:
        return None
    name = text[head[start][1] : head[-1][2]]
    role = text[head[0][1] : head[start][1]].strip() if start else None
    return _Attribution(verb, name, role or None, is_person=True, is_pronoun=False)


def _attribution(text: str, tokens: list[_Token], verb: str, before_quote: bool) -> _Attribution:
    """Split the words naming the speaker into speaker and role.

    After the verb, a phrase opening with a preposition is an organisation (`в облизбиркоме`) even if
    it ends with a name (`в пресс-службе губернатора Игоря Артамонова`). Before the verb the words
    open a sentence, so a name is looked for first (`В Липецке Михаил Зотов подчеркнул:`). The speaker
    may be followed by a tail such as `в интервью ТАСС`: the words before each tail are tried in turn.
    """
    if not tokens:
        return _Attribution(verb, None, None, is_person=False, is_pronoun=False)
    if before_quote or tokens[0][0] not in _PREPOSITIONS:
        found = _speaker(text, tokens, verb, before_quote)
        if found is not None:
            return found
        for cut in range(1, len(tokens)):
            word = tokens[cut][0]
            if word in _PREPOSITIONS or word[0] in '«"':
                found = _speaker(text, tokens[:cut], verb, before_quote)
                if found is not None:
                    return found
    phrase = text[tokens[0][1] : tokens[-1][2]]
    return _Attribution(verb, phrase, None, is_person=False, is_pronoun=False)


def _attribution_after(text: str, pos: int, end: int) -> tuple[_Attribution, int] | None:
    """The attribution opening with a speech verb in text[pos:end] (`отметил Сергей Курбатов`), and its end."""
    lead = _LEAD_WORD.match(text, pos, end)
    if lead is None:
        return None
    verb = lead[1]
    verb_end = lead.end()
    if verb not in _VERB_FORMS or (verb_end < end and text[verb_end] == "-"):
        return None
    tokens = _strip_fillers(_tokens_from(text, verb_end, end))
    stop = tokens[-1][2] if tokens else verb_end
    return _attribution(text, tokens, verb, before_quote=False), stop


def _attribution_before(text: str, quote_start: int) -> _Attribution | None:
    """The attribution ending in a colon just before a quote (`Михаил Зотов подчеркнул: «…»`).

    Up to three lower-case words may follow the verb (`сказал журналистам:`); after `Как` the speaker
    follows the verb (`Как отметил губернатор:`).
    """
    colon = text.rfind(":", max(0, quote_start - _BEFORE_WINDOW), quote_start)
    if colon < 0 or text[colon + 1 : quote_start].strip():
        return None
    tokens = _tokens_before(text, colon)
    index = len(tokens) - 1
    while index >= 0 and tokens[index][0] not in _VERB_FORMS:
        index -= 1
    if index < 0:
        return None
    verb, speaker_tokens, after = tokens[index][0], tokens[:index], tokens[index + 1 :]
    if len(speaker_tokens) == 1 and speaker_tokens[0][0].lower() == "как":
        return _attribution(text, _strip_fillers(after), verb, before_quote=False)
    if len(after) > 3:
        return None
    for token in after:
        if not token[0].islower():
            return None
    while speaker_tokens and speaker_tokens[-1][0] in _FILLERS:
        speaker_tokens = speaker_tokens[:-1]
    if not speaker_tokens:
        return None
    return _attribution(text, speaker_tokens, verb, before_quote=True)


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


def _find_split(text: str, pos: int, end: int) -> tuple[str, _Attribution, int] | None:
    """The first `, – verb …` hand-over in text[pos:end]: the speech before it, who spoke, where it ends."""
    if not _has_dash(text, pos, end):
        return None
    for dash in _SPLIT_DASH.finditer(text, pos, end):
        found = _attribution_after(text, dash.end(), end)
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
        found = _attribution_after(text, after.end(), len(text)) if after is not None else None
        if found is not None:
            return _clean(text[opened + 1 : closed]), found[0]
    before = _attribution_before(text, opened)
    if before is not None:
        return _clean(text[opened + 1 : closed]), before
    return None


# --- the paragraph walk ---------------------------------------------------------------------------


def _to_quote(speech: _Speech, people: _People) -> Quote | None:
    """The record for one piece of speech; names it brings are remembered for later pronouns."""
    text, attribution = speech
    if not text:
        return None
    speaker = attribution.speaker
    if attribution.is_pronoun:
        speaker = people.last(_verb_gender(attribution.verb))
    if speaker is not None and (attribution.is_person or attribution.is_pronoun):
        people.mention(speaker)
    return Quote(text=text, speaker=speaker, speaker_role=attribution.role, verb=attribution.verb)


def _paragraph_quotes(text: str, people: _People, quotes: list[Quote]) -> None:
    """Append the quotes of a (non-empty) paragraph: the dash speech it opens with, then guillemet quotes."""
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
    _guillemet_quotes(text, pos, people, quotes)


def _guillemet_quotes(text: str, start: int, people: _People, quotes: list[Quote]) -> None:
    """Append the quotes of the «…» spans from `start`; the text between them is plain, for names."""
    plain_start = start
    for opened, closed in _guillemet_spans(text, start):
        people.observe(text, plain_start, opened)
        speech = _guillemet_speech(text, opened, closed)
        if speech is not None:
            quote = _to_quote(speech, people)
            if quote is not None:
                quotes.append(quote)
        plain_start = closed + 1
    people.observe(text, plain_start, len(text))


def extract_quotes(paragraphs: Sequence[str]) -> list[Quote]:
    """Quotes in reading order from the article body's paragraphs (already whitespace-normalized text).

    The paragraphs are read in order because a pronoun speaker (`– добавила она`) means the last
    person named before it, possibly paragraphs earlier.
    """
    people = _People()
    quotes: list[Quote] = []
    for paragraph in paragraphs:
        if "«" in paragraph or (paragraph and (paragraph[0] in _DASHES or paragraph[0].isspace())):
            _paragraph_quotes(paragraph, people, quotes)
        else:  # most paragraphs: plain text, which only matters for the names it holds
            people.observe(paragraph, 0, len(paragraph))
    return quotes
