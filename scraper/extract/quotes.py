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
quote, which is why the paragraphs are read in order with a small per-call register of names. A quote
may also run over paragraphs: each of them opens with « and only the last closes it (or a `<br>` cut
one paragraph in two); it is one quote, its paragraphs joined with a space.

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
_FILLERS = frozenset(
    _words(
        """также ещё еще тогда затем позже потом вновь снова далее уже особо отдельно сегодня вчера накануне
    ранее позднее впоследствии неоднократно лично публично дополнительно"""
    )
)
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
# A quote running over more paragraphs than this is taken for an unclosed guillemet.
_MAX_QUOTE_PARAGRAPHS = 20
_MAX_QUOTE_CHARS = 20_000

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
    _words(
        """в во на по для при после перед с со у из от об о к ко за до через про среди между под над без
    около"""
    )
)

# Words between the verb and the speaker that are neither the name nor a role: the listener, in the
# dative (`сказал журналистам`, `нашему изданию`, `РИА Новости`, `«Коммерсанту»`), and prepositional
# phrases (`в своем выступлении`, `в ходе встречи с журналистами`). Such a phrase runs over words in
# an oblique case and proper names; a role opens with a word in the nominative (`губернатор`,
# `председатель`, `генеральный`), told by its ending: no morphology, just the endings below.
_DATIVE_ENDINGS = ("ам", "ям", "у", "ю", "ым", "им")
_OBLIQUE_ENDINGS = (
    *"аяеёиоуюыэ",
    *_words("ом ем ём ам ям ах ях ов ев ёв ей ой ых их ым им"),
)
_DATIVE_PRONOUNS = frozenset(_words("мне ей тебе вам нам"))
# Acronyms that are roles, not media (`ИО главы администрации`).
_ACRONYM_ROLES = frozenset(_words("ИО ВРИО"))
# Nominative role words that end like an oblique case.
_VOWEL_ROLES = frozenset(_words("глава судья врио замглавы вице-спикер замминистра"))
# Endings that mark an inflected name (`Игорем`, `Артамоновым`, `Петрову`): after a preposition, a
# name in one of these is not the speaker (`в пресс-службе губернатора Игоря Артамонова`).
_OBLIQUE_FIRST_NAME_ENDINGS = ("ом", "ем", "ём")
_OBLIQUE_SURNAME_ENDINGS = ("ым", "им", "ом", "ем", "ой", "ей", "у", "ю", "е")

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
    sentence: int = 0  # the sentence that named the person last, counted over the article
    subject: bool = True  # named in the nominative there, not `с Иваном Петровым`


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


def _declined_first_names() -> dict[str, str]:
    """The oblique forms of the known first names (`Ивана`, `Ивану`, `Иваном`, `Игорем`, `Марии`,
    `Ольгой`), each to its nominative. A form that is itself a known name (`Александра`) is left out."""
    forms: dict[str, str] = {}
    fleeting = {"Пётр": "Петр", "Павел": "Павл", "Лев": "Льв"}  # the vowel that declension drops
    for name in _FIRST_NAMES:
        stem = name[:-1]
        if name.endswith("ия"):
            endings: tuple[str, ...] = ("и", "ю", "ей")
        elif name.endswith("я"):
            endings = ("и", "е", "ю", "ей")
        elif name.endswith("а"):
            endings = ("и" if stem[-1] in "гкхжшчщ" else "ы", "е", "у", "ой")
        elif name.endswith("ь") and name in _FEMALE_NAMES:
            endings = ("и", "ью")
        elif name.endswith(("й", "ь")):
            endings = ("я", "ю", "ем", "е", "и")
        else:
            stem, endings = fleeting.get(name, name), ("а", "у", "ом", "е")
        for ending in endings:
            if stem + ending not in _FIRST_NAMES:
                forms[stem + ending] = name
    return forms


_DECLINED_FIRST_NAMES = _declined_first_names()
# The case endings of surnames, longest first, and what each stands for in the nominative.
_SURNAME_CASES: dict[Gender, tuple[tuple[str, str], ...]] = {
    "m": (
        *((ending, "ский") for ending in ("ского", "скому", "ским", "ском")),
        *((ending, "цкий") for ending in ("цкого", "цкому", "цким", "цком")),
        *((ending, "") for ending in ("ым", "ом", "ем", "а", "у", "е")),
    ),
    "f": (("ской", "ская"), ("скую", "ская"), ("цкой", "цкая"), ("цкую", "цкая"), ("ой", "а"), ("у", "а")),
}
_INFLECTED_PATRONYMIC = re.compile(r"[А-ЯЁ][а-яё]+(?:ович|евич|овн|евн|ичн)[а-яё]+")


def _nominative_surname(word: str, gender: Gender) -> str | None:
    """The nominative of a surname after an inflected first name (`Петровым` → `Петров`, `Ивановой` →
    `Иванова`); an undeclined one (`Черных`, `Малхасян` for a woman) as is; None for a word that does
    not end like a surname either way."""
    for ending, nominative in _SURNAME_CASES[gender]:
        if word.endswith(ending):
            candidate = word[: len(word) - len(ending)] + nominative
            if candidate.endswith(_SURNAME_ENDINGS):
                return candidate
    return word if word.endswith(_SURNAME_ENDINGS) else None


_SENTENCE_END = re.compile(r"[.!?…]\s")


class _People:
    """The persons named so far in one article, most recent last.

    A later mention of a known surname (`Курбатов`, `И. Артамонов`) is the same person, so a pronoun
    resolves to the full name as first written (`Сергей Курбатов`). A first name and a surname in an
    oblique case name a person too (`встретилась с Иваном Петровым` → `Иван Петров`), who yields to
    a person named in the nominative in the same sentence (`Сергей Курбатов встретился с Андреем
    Чертковым`: `он` is Курбатов).

    Only a pronoun speaker ever asks who was named, and most articles have none, while noting names
    means scanning all the plain text. So `observe()` and `mention()` just log their arguments, and
    `last()` first replays the log in order: the register then holds what eager calls would have built.
    """

    __slots__ = ("_log", "_people", "_sentence")

    def __init__(self) -> None:
        self._people: list[_Person] = []
        self._log: list[str | tuple[str, int, int]] = []
        self._sentence = 0

    def mention(self, name: str) -> None:
        """Note a speaker's name (replayed by `_mention`)."""
        self._log.append(name)

    def observe(self, text: str, start: int, end: int) -> None:
        """Note the persons plain text[start:end] names (replayed by `_observe`)."""
        if start < end:
            self._log.append((text, start, end))

    def last(self, gender: Gender) -> str | None:
        """The last person named; `он`/`она` skip persons of the other gender, and mean nobody when
        only persons of the other gender were named (`Мария Иванова …` then `– отметил он`)."""
        self._replay()
        found: _Person | None = None
        for person in reversed(self._people):
            if gender is not None and person.gender not in (gender, None):
                continue
            if found is None:
                found = person
            elif person.sentence != found.sentence:
                break
            elif person.subject:
                found = person
            if found.subject:
                break
        return found.name if found is not None else None

    def _replay(self) -> None:
        for event in self._log:
            self._sentence += 1
            if isinstance(event, str):
                self._mention(event, subject=True)
            else:
                text, start, end = event
                self._observe(text[start:end])
        self._log.clear()

    def _mention(self, name: str, subject: bool) -> None:
        person = _person(name)
        for index, known in enumerate(self._people):
            if known.surname == person.surname:
                if len(known.name.split()) == 1 and len(person.name.split()) > 1:
                    known.name = person.name
                    known.gender = known.gender or person.gender
                person = self._people.pop(index)
                break
        person.sentence = self._sentence
        person.subject = subject
        self._people.append(person)

    def _observe(self, text: str) -> None:
        """Note the persons a plain sentence names: a first name and a surname, or a known surname."""
        end = 0
        for match in _NAME_RUN.finditer(text):
            if _SENTENCE_END.search(text, end, match.start()):
                self._sentence += 1
            end = match.end()
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
                self._mention(" ".join(words[index : index + size]), subject=True)
                index += size
                continue
            if word in _DECLINED_FIRST_NAMES and index + 1 < len(words):
                first = _DECLINED_FIRST_NAMES[word]
                size = 3 if index + 2 < len(words) and _INFLECTED_PATRONYMIC.fullmatch(words[index + 1]) else 2
                surname = _nominative_surname(words[index + size - 1], "f" if first in _FEMALE_NAMES else "m")
                if surname is not None:
                    self._mention(f"{first} {surname}", subject=False)  # the patronymic is left out
                    index += size
                    continue
            if any(known.surname == word for known in self._people):
                self._mention(word, subject=True)
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


def _oblique_run(words: list[str], index: int, stop: int) -> int:
    """Where the oblique-case words and proper names from words[index] end (at most `stop`)."""
    while index < stop:
        word = words[index]
        if word in _PREPOSITIONS:
            index += 2  # the preposition and the word it governs, whatever its ending
        elif not word[0].islower() or (word.endswith(_OBLIQUE_ENDINGS) and word not in _VOWEL_ROLES):
            index += 1  # a proper name, an acronym, a title in quotes, a number or an oblique case
        else:
            break
    return min(index, stop)


def _is_listener(word: str) -> bool:
    """Whether the word after the verb opens the listener: a dative (`журналистам`, `нашему`, `мне`), a
    media name as an acronym (`РИА Новости`, `ТАСС`) or in guillemets (`«Коммерсанту»`)."""
    if word[0].islower():
        return word.endswith(_DATIVE_ENDINGS) or word in _DATIVE_PRONOUNS
    if word[0] in '«"':
        return True
    return len(word) > 1 and word.isupper() and word not in _ACRONYM_ROLES


def _lead_end(words: list[str], stop: int, sentence_start: bool) -> int:
    """Where the words before the name in words[:stop] stop being adverbs, prepositional phrases
    (`в своем выступлении`) or, after the verb, the listener (`журналистам`), that is, where the role
    begins if there is one."""
    index = 0
    while index < stop:
        word = words[index]
        if index == 0 and sentence_start:
            word = word.lower()
        if word in _FILLERS:
            index += 1
        elif word in _PREPOSITIONS:
            index = _oblique_run(words, index + 2, stop)
        elif index == 0 and not sentence_start and _is_listener(word):
            index = _oblique_run(words, index + 1, stop)
        else:
            break
    return min(index, stop)


def _joined_start(words: list[str], start: int, sentence_start: bool) -> int:
    """Where the names begin when two persons speak together (`Иван Петров и Мария Иванова`)."""
    while start >= 2 and words[start - 1] == "и":
        previous = _name_start(words[: start - 1], sentence_start)
        if previous is None:
            break
        start = previous
    return start


def _is_nominative_name(words: list[str]) -> bool:
    """Whether a name after a preposition is a speaker's, in the nominative (`Игорь Артамонов`), rather
    than a name the phrase governs (`губернатора Игоря Артамонова`, `с Игорем Артамоновым`): a bare
    surname cannot be told apart, so it is not."""
    first, last = words[0], words[-1]
    if len(words) < 2 or last.endswith(_OBLIQUE_SURNAME_ENDINGS):
        return False
    if first in _FIRST_NAMES:
        return True
    return not first.endswith(_OBLIQUE_FIRST_NAME_ENDINGS) and last[-1] not in "аяеёиоуюыэ"


def _speaker(
    text: str, head: list[_Token], verb: str, before_quote: bool, after_preposition: bool = False
) -> _Attribution | None:
    """The pronoun or the person(s) that the tokens `head` end with, if they do.

    The words before the name, without the adverbs, listeners and prepositional phrases they open
    with, are the role. `after_preposition`: the attribution after the verb opens with a preposition,
    which makes it an organisation (`в облизбиркоме`) unless a role or a name in the nominative follows
    the phrase (`в своем выступлении Игорь Артамонов`).
    """
    words = [token[0] for token in head]
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return _Attribution(verb, None, None, is_person=False, is_pronoun=True)
    start = _name_start(words, sentence_start=before_quote)
    if start is None:
        return None
    start = _joined_start(words, start, before_quote)
    role_start = _lead_end(words, start, before_quote) if start else 0
    if after_preposition and role_start == start and not _is_nominative_name(words[start:]):
        return None
    name = text[head[start][1] : head[-1][2]]
    role = text[head[role_start][1] : head[start][1]].strip() if role_start < start else None
    return _Attribution(verb, name, role or None, is_person=True, is_pronoun=False)


def _attribution(text: str, tokens: list[_Token], verb: str, before_quote: bool) -> _Attribution:
    """Split the words naming the speaker into speaker and role.

    After the verb, a phrase opening with a preposition is an organisation (`в облизбиркоме`) even if
    it ends with a name (`в пресс-службе губернатора Игоря Артамонова`), unless the name that ends it
    is a speaker's (`в своем выступлении Игорь Артамонов`, see `_speaker`). Before the verb the words
    open a sentence, so a name is looked for first (`В Липецке Михаил Зотов подчеркнул:`). The speaker
    may be followed by a tail such as `в интервью ТАСС`: the words before each tail are tried in turn.
    """
    if not tokens:
        return _Attribution(verb, None, None, is_person=False, is_pronoun=False)
    phrase = text[tokens[0][1] : tokens[-1][2]]
    after_preposition = not before_quote and tokens[0][0] in _PREPOSITIONS
    if after_preposition and phrase.islower():  # no name to look for: `в облизбиркоме`
        return _Attribution(verb, phrase, None, is_person=False, is_pronoun=False)
    found = _speaker(text, tokens, verb, before_quote, after_preposition)
    if found is not None:
        return found
    for cut in range(1, len(tokens)):
        word = tokens[cut][0]
        if word in _PREPOSITIONS or word[0] in '«"':
            found = _speaker(text, tokens[:cut], verb, before_quote, after_preposition)
            if found is not None:
                return found
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
        if " и " in speaker:  # persons speaking together are each a person named
            for name in speaker.split(" и "):
                people.mention(name)
        else:
            people.mention(speaker)
    return Quote(text=text, speaker=speaker, speaker_role=attribution.role, verb=attribution.verb)


def _paragraph_quotes(text: str, people: _People, quotes: list[Quote]) -> int:
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


def _guillemet_quotes(text: str, start: int, people: _People, quotes: list[Quote]) -> int:
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


def _read_open_quote(
    paragraphs: Sequence[str], index: int, unclosed: int, people: _People, quotes: list[Quote]
) -> None:
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
    people = _People()
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
