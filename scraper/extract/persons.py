"""Persons in quotes: what a Russian name looks like, and who was named so far, for pronoun speakers.

The attribution next to a quote ends with the speaker's name, and `name_start` finds where it begins
from the shape of names alone: capitalised words, initials, patronymics, known first names, surname
endings (no morphology, no dictionary of surnames). A pronoun speaker (`– добавила она`) means the
last person named before the quote whose gender agrees with the verb's: `People` is that register,
kept in reading order from the speakers and from the plain text between quotes, where a name in an
oblique case (`встретилась с Иваном Петровым`) is turned back into the nominative (`Иван Петров`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Gender = Literal["m", "f"] | None


def word_list(text: str) -> tuple[str, ...]:
    """Word lists are kept as plain text so that a reader can scan and extend them."""
    return tuple(text.split())


# --- what a name looks like -----------------------------------------------------------------------

_NAME_WORD = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?![\w-])")
# Runs of capitalised words separated by whitespace, found in one C-level scan.
_NAME_RUN = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:\s+[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)*(?![\w-])")
_INITIAL = re.compile(r"[А-ЯЁA-Z]\.")
_PATRONYMIC = re.compile(r"[А-ЯЁ][а-яё]+(?:ович|евич|ич|овна|евна|ична|инична)")

_SURNAME_ENDINGS = word_list(
    """ов ев ёв ин ын ский цкий ской ова ева ёва ина ына ская цкая енко ян янц дзе швили ук юк ич ых их"""
)
_FEMALE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")
_MALE_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ской")

_MALE_NAMES = frozenset(
    word_list(
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
    word_list(
        """Александра Алёна Алена Алина Алла Анастасия Ангелина Анна Антонина Валентина Валерия Вера
    Вероника Виктория Галина Дарья Диана Дина Ева Евгения Екатерина Елена Елизавета Жанна Зинаида
    Зоя Инна Ирина Карина Кира Кристина Ксения Лариса Лидия Лилия Любовь Людмила Майя Маргарита
    Марина Мария Надежда Наталья Наталия Нина Оксана Олеся Ольга Полина Раиса Светлана Снежана
    София Софья Таисия Тамара Татьяна Ульяна Элла Эльвира Эльмира Юлия Яна"""
    )
)
_FIRST_NAMES = _MALE_NAMES | _FEMALE_NAMES

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


def name_start(words: list[str], sentence_start: bool) -> int | None:
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


# --- names in an oblique case ---------------------------------------------------------------------

# Endings that mark an inflected name (`Игорем`, `Артамоновым`, `Петрову`): after a preposition, a
# name in one of these is not the speaker (`в пресс-службе губернатора Игоря Артамонова`).
_OBLIQUE_FIRST_NAME_ENDINGS = ("ом", "ем", "ём")
_OBLIQUE_SURNAME_ENDINGS = ("ым", "им", "ом", "ем", "ой", "ей", "у", "ю", "е")


def is_nominative_name(words: list[str]) -> bool:
    """Whether a name after a preposition is a speaker's, in the nominative (`Игорь Артамонов`), rather
    than a name the phrase governs (`губернатора Игоря Артамонова`, `с Игорем Артамоновым`): a bare
    surname cannot be told apart, so it is not."""
    first, last = words[0], words[-1]
    if len(words) < 2 or last.endswith(_OBLIQUE_SURNAME_ENDINGS):
        return False
    if first in _FIRST_NAMES:
        return True
    return not first.endswith(_OBLIQUE_FIRST_NAME_ENDINGS) and last[-1] not in "аяеёиоуюыэ"


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


def verb_gender(verb: str) -> Gender:
    """The gender a speech verb agrees with (`добавила`, `уверена`): who a pronoun speaker can be."""
    if verb.endswith(("ла", "лась", "на")):
        return "f"
    if verb.endswith(("л", "лся", "ен", "ён")):
        return "m"
    return None


_SENTENCE_END = re.compile(r"[.!?…]\s")


class People:
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
