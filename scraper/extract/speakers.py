"""Who said it: the attribution next to a quote, split into speech verb, speaker and role.

An attribution is the words a dash or a colon attaches to a quote: a speech verb and who spoke
(`– отметил губернатор Липецкой области Игорь Артамонов`, `Михаил Зотов подчеркнул:`). The verb is
one of a closed list of forms, so it is told by a set lookup. The speaker is the name the words end
with (found by `persons.name_start`), or a pronoun, which only the reader in `quotes` can resolve;
the words before the name are the role, once the adverbs, the listener (`журналистам`) and the
prepositional phrases (`в своем выступлении`) it may open with are dropped. Words without a name,
such as an organisation (`в облизбиркоме`, `пресс-служба`), are kept whole as the speaker. Cases are
told by word endings, not morphology, which keeps this cheap enough to run on every quote of a crawl.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from scraper.extract.persons import is_nominative_name, name_start, word_list


class Attribution(NamedTuple):
    """Who spoke, before pronouns are resolved: a pronoun can only be resolved in reading order."""

    verb: str
    speaker: str | None
    role: str | None
    is_person: bool
    is_pronoun: bool


# --- speech verbs ---------------------------------------------------------------------------------

# Past tense in every gender and number is built from the stem before "-л".
_PAST_STEMS = word_list(
    """акцентирова возрази воскликну вспомина вспомни говори добави добавля доложи дополни завери заключи
    замети заяви констатирова написа напомина напомни настаива объясни объясня ответи отмети отмеча
    отреагирова оцени парирова повтори подтверди подчеркива подчеркну подчёркива подчёркну подытожи
    пообеща попроси посетова потребова пошути поясни поясня предложи предположи предупреди призва
    признава продолжи проинформирова прокомментирова процитирова размышля разъясни рассказа рассказыва
    рассужда резюмирова сказа сообща сообщи спрогнозирова спроси сформулирова счита убежда уверя указа
    утвержда уточни уточня цитирова"""
)
_PAST_REFLEXIVE_STEMS = word_list(
    """возмути высказа дели обрати отчита подели поинтересова пожалова похвали призна согласи"""
)
# Present tense, impersonal (`говорится в сообщении`) and short-adjective (`уверен он`) forms, whole.
_PRESENT_FORMS = word_list(
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
    word_list(
        """также ещё еще тогда затем позже потом вновь снова далее уже особо отдельно сегодня вчера накануне
    ранее позднее впоследствии неоднократно лично публично дополнительно"""
    )
)
_FILLER = "(?:" + "|".join([*sorted(_FILLERS), "в свою очередь"]) + ")"

# The word at the start of an attribution, after optional adverbs that are not part of it. It is the
# speech verb when it is in _VERB_FORMS and no hyphen follows: one set lookup instead of trying a few
# hundred alternatives (no adverb is a verb, so only the word after all the adverbs can be one).
_LEAD_WORD = re.compile(rf"(?:{_FILLER}\s+){{0,2}}(\w+)")


# --- tokens ---------------------------------------------------------------------------------------

# Abbreviations of roles written with dots (`и.о. главы`, `зам. губернатора`): one word of the role,
# not a word and a full stop, nor the initials of a name. `И.О.` in capitals stays initials.
_ABBREVIATION = (
    r"(?:[иИ]\.\s?о\.|[вВ]р\.\s?и\.\s?о\.|[тТ]\.\s?[екн]\."
    r"|(?:[зЗ]ам|[зЗ]ав|[нН]ач|[пП]ред|[гГ]ен|[гГ]л|[иИ]сп|[рР]ук|[пП]ом)\.)(?=\s)"
)
# One token of an attribution; tokens are separated by whitespace only, so any other punctuation ends
# the attribution. An initial is a capital with a dot that a capital follows (`А.В. Гусев`).
_TOKEN_PATTERN = rf"«[^«»]{{0,80}}»|\"[^\"]{{0,80}}\"|{_ABBREVIATION}|[А-ЯЁA-Z]\.(?=\s?[А-ЯЁA-Z])|\w[\w-]*"
_TOKEN = re.compile(_TOKEN_PATTERN)
# A token and the whitespace before it, so that reading forward takes one match per token.
_SPACED_TOKEN = re.compile(rf"\s*({_TOKEN_PATTERN})")
# Tokens separated by whitespace, or by nothing after an initial's dot: a run that ends at a colon is
# the attribution before a quote. Atomic groups make each token exactly the one _TOKEN finds.
_TOKEN_RUN = re.compile(rf"(?>{_TOKEN_PATTERN})(?:(?:\s+|(?<=\.))(?>{_TOKEN_PATTERN}))*")
_MAX_ATTRIBUTION_TOKENS = 30
_BEFORE_WINDOW = 300

# A token as (text, start, end): plain tuples, because attributions are tokenized on every quote.
_Token = tuple[str, int, int]


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


# --- speaker, role, listener ----------------------------------------------------------------------

_PRONOUNS = frozenset({"он", "она", "оно", "они"})
_PREPOSITIONS = frozenset(
    word_list(
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
    *word_list("ом ем ём ам ям ах ях ов ев ёв ей ой ых их ым им"),
)
_DATIVE_PRONOUNS = frozenset(word_list("мне ей тебе вам нам"))
# Acronyms that are roles, not media (`ИО главы администрации`).
_ACRONYM_ROLES = frozenset(word_list("ИО ВРИО"))
# Nominative role words that end like an oblique case.
_VOWEL_ROLES = frozenset(word_list("глава судья врио замглавы вице-спикер замминистра"))


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
        previous = name_start(words[: start - 1], sentence_start)
        if previous is None:
            break
        start = previous
    return start


def _speaker(
    text: str, head: list[_Token], verb: str, before_quote: bool, after_preposition: bool = False
) -> Attribution | None:
    """The pronoun or the person(s) that the tokens `head` end with, if they do.

    The words before the name, without the adverbs, listeners and prepositional phrases they open
    with, are the role. `after_preposition`: the attribution after the verb opens with a preposition,
    which makes it an organisation (`в облизбиркоме`) unless a role or a name in the nominative follows
    the phrase (`в своем выступлении Игорь Артамонов`).
    """
    words = [token[0] for token in head]
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return Attribution(verb, None, None, is_person=False, is_pronoun=True)
    start = name_start(words, sentence_start=before_quote)
    if start is None:
        return None
    start = _joined_start(words, start, before_quote)
    role_start = _lead_end(words, start, before_quote) if start else 0
    if after_preposition and role_start == start and not is_nominative_name(words[start:]):
        return None
    if _names_a_person(words, role_start, start, before_quote):
        start = role_start  # persons speaking together, each with a role: as written, no one role
    name = text[head[start][1] : head[-1][2]]
    role = text[head[role_start][1] : head[start][1]].strip() if role_start < start else None
    return Attribution(verb, name, role or None, is_person=True, is_pronoun=False)


def _names_a_person(words: list[str], role_start: int, start: int, sentence_start: bool) -> bool:
    """Whether the role words[role_start:start] hold a person joined by `и` to the speaker
    (`губернатор Игорь Артамонов и мэр Липецка`): a name never goes into a role."""
    for index in range(start - 1, role_start, -1):
        if words[index] == "и" and name_start(words[role_start:index], sentence_start and role_start == 0) is not None:
            return True
    return False


def person_name(speaker: str) -> str:
    """The name a speaker's words end with (`мэр Липецка Роман Ченцов` → `Роман Ченцов`), else the words."""
    words = speaker.split()
    start = name_start(words, sentence_start=False)
    return " ".join(words[start:]) if start else speaker


def _attribution(text: str, tokens: list[_Token], verb: str, before_quote: bool) -> Attribution:
    """Split the words naming the speaker into speaker and role.

    After the verb, a phrase opening with a preposition is an organisation (`в облизбиркоме`) even if
    it ends with a name (`в пресс-службе губернатора Игоря Артамонова`), unless the name that ends it
    is a speaker's (`в своем выступлении Игорь Артамонов`, see `_speaker`). Before the verb the words
    open a sentence, so a name is looked for first (`В Липецке Михаил Зотов подчеркнул:`). The speaker
    may be followed by a tail such as `в интервью ТАСС`: the words before each tail are tried in turn.
    """
    if not tokens:
        return Attribution(verb, None, None, is_person=False, is_pronoun=False)
    phrase = text[tokens[0][1] : tokens[-1][2]]
    after_preposition = not before_quote and tokens[0][0] in _PREPOSITIONS
    if after_preposition and phrase.islower():  # no name to look for: `в облизбиркоме`
        return Attribution(verb, phrase, None, is_person=False, is_pronoun=False)
    found = _speaker(text, tokens, verb, before_quote, after_preposition)
    if found is not None:
        return found
    for cut in range(1, len(tokens)):
        word = tokens[cut][0]
        if word in _PREPOSITIONS or word[0] in '«"':
            found = _speaker(text, tokens[:cut], verb, before_quote, after_preposition)
            if found is not None:
                return found
    return Attribution(verb, phrase, None, is_person=False, is_pronoun=False)


# --- attributions ---------------------------------------------------------------------------------


def attribution_after(text: str, pos: int, end: int) -> tuple[Attribution, int] | None:
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


def attribution_before(text: str, quote_start: int) -> Attribution | None:
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
