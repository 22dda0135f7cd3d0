"""Direct speech: one case per form the portal uses, each compared as the whole list of quotes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract.quotes import extract_quotes
from scraper.models import Quote
from tests.conftest import FIXTURES, load_json

SEED = load_json(FIXTURES / "portal" / "seed-article.expected.json")
SEED_PARAGRAPHS: list[str] = SEED["body"].split("\n\n")
SEED_QUOTES = [Quote(**quote) for quote in SEED["quotes"]]

FORMS = [
    pytest.param(
        ["«Мы готовы делиться наработками», – отметил Сергей Курбатов."],
        [Quote("Мы готовы делиться наработками", "Сергей Курбатов", None, "отметил")],
        id="en-dash",
    ),
    pytest.param(
        ["«Мы готовы делиться наработками», — сказал Сергей Курбатов."],
        [Quote("Мы готовы делиться наработками", "Сергей Курбатов", None, "сказал")],
        id="em-dash",
    ),
    pytest.param(
        ["«Мы готовы делиться наработками», - заявил Сергей Курбатов."],
        [Quote("Мы готовы делиться наработками", "Сергей Курбатов", None, "заявил")],
        id="hyphen",
    ),
    pytest.param(
        ["«Какой прорыв!» – воскликнул Иван Петров."],
        [Quote("Какой прорыв!", "Иван Петров", None, "воскликнул")],
        id="exclamation-kept",
    ),
    pytest.param(
        ["«Когда начнётся стройка?» – спросила Ольга Смирнова."],
        [Quote("Когда начнётся стройка?", "Ольга Смирнова", None, "спросила")],
        id="question-kept",
    ),
    pytest.param(
        ["«Это формула прорыва», – подчеркнул губернатор Липецкой области Игорь Артамонов."],
        [Quote("Это формула прорыва", "Игорь Артамонов", "губернатор Липецкой области", "подчеркнул")],
        id="role-before-name",
    ),
    pytest.param(
        ["«Отчёт готов», – сообщила директор школы Ольга Петровна Иванова."],
        [Quote("Отчёт готов", "Ольга Петровна Иванова", "директор школы", "сообщила")],
        id="name-with-patronymic",
    ),
    pytest.param(
        ["«Отчёт готов», – сказал И. Артамонов."],
        [Quote("Отчёт готов", "И. Артамонов", None, "сказал")],
        id="one-initial",
    ),
    pytest.param(
        ["«Отчёт готов», – уточнил председатель комиссии А.В. Гусев."],
        [Quote("Отчёт готов", "А.В. Гусев", "председатель комиссии", "уточнил")],
        id="two-initials",
    ),
    pytest.param(
        ["«Заводы готовы к кооперации», – заявил министр промышленности ДНР Гурген Малхасян."],
        [Quote("Заводы готовы к кооперации", "Гурген Малхасян", "министр промышленности ДНР", "заявил")],
        id="acronym-in-role",
    ),
    pytest.param(
        ["«Бюджет принят», – отметил Сергей Курбатов в интервью ТАСС."],
        [Quote("Бюджет принят", "Сергей Курбатов", None, "отметил")],
        id="tail-after-name-dropped",
    ),
    pytest.param(
        ["Михаил Зотов подчеркнул: «Сессия прошла продуктивно»."],
        [Quote("Сессия прошла продуктивно", "Михаил Зотов", None, "подчеркнул")],
        id="speaker-before",
    ),
    pytest.param(
        ["Председатель облсовета Михаил Зотов подчеркнул: «Сессия прошла продуктивно»."],
        [Quote("Сессия прошла продуктивно", "Михаил Зотов", "Председатель облсовета", "подчеркнул")],
        id="speaker-before-with-role",
    ),
    pytest.param(
        ["Михаил Зотов также сказал журналистам: «Сессия прошла продуктивно»."],
        [Quote("Сессия прошла продуктивно", "Михаил Зотов", None, "сказал")],
        id="speaker-before-adverb-and-addressee",
    ),
    pytest.param(
        ["Как подчеркнул губернатор Игорь Артамонов: «Сессия прошла продуктивно»."],
        [Quote("Сессия прошла продуктивно", "Игорь Артамонов", "губернатор", "подчеркнул")],
        id="speaker-after-kak",
    ),
    pytest.param(
        ["«Часть один, – пояснила Елена Гусева. – Часть два»."],
        [Quote("Часть один Часть два", "Елена Гусева", None, "пояснила")],
        id="split-by-attribution",
    ),
    pytest.param(
        ["«Часть один, – пояснила Елена Гусева, – часть два»."],
        [Quote("Часть один часть два", "Елена Гусева", None, "пояснила")],
        id="split-by-attribution-comma",
    ),
    pytest.param(
        ['«Нужны праймериз "Единой России" в каждом районе», — написал господин Аверов.'],
        [Quote('Нужны праймериз "Единой России" в каждом районе', "Аверов", "господин", "написал")],
        id="straight-quotes-nested",
    ),
    pytest.param(
        ["«Мы поддержим «Единую Россию» на выборах», – сказал Иван Петров."],
        [Quote("Мы поддержим «Единую Россию» на выборах", "Иван Петров", None, "сказал")],
        id="guillemets-nested",
    ),
    pytest.param(
        ["«Голосуем за «Единую Россию»», – сказал Иван Петров."],
        [Quote("Голосуем за «Единую Россию»", "Иван Петров", None, "сказал")],
        id="guillemets-nested-at-end",
    ),
    pytest.param(
        ["– Регистрация кандидатов завершена, – напомнили в облизбиркоме."],
        [Quote("Регистрация кандидатов завершена", "в облизбиркоме", None, "напомнили")],
        id="dash-paragraph-en",
    ),
    pytest.param(
        ["— Регистрация кандидатов завершена, — напомнили в облизбиркоме."],
        [Quote("Регистрация кандидатов завершена", "в облизбиркоме", None, "напомнили")],
        id="dash-paragraph-em",
    ),
    pytest.param(
        ["- Регистрация кандидатов завершена, - напомнили в облизбиркоме."],
        [Quote("Регистрация кандидатов завершена", "в облизбиркоме", None, "напомнили")],
        id="dash-paragraph-hyphen",
    ),
    pytest.param(
        ["– Часть один, – сказал Иван Петров. – Часть два."],
        [Quote("Часть один Часть два", "Иван Петров", None, "сказал")],
        id="dash-paragraph-split",
    ),
    pytest.param(
        ["– Первое, – сказал Иван Петров. – Второе, – добавил он."],
        [
            Quote("Первое", "Иван Петров", None, "сказал"),
            Quote("Второе", "Иван Петров", None, "добавил"),
        ],
        id="dash-paragraph-two-attributions",
    ),
    pytest.param(
        ["«Бюджет принят», – говорится в сообщении пресс-службы."],
        [Quote("Бюджет принят", "в сообщении пресс-службы", None, "говорится")],
        id="said-in-a-statement",
    ),
    pytest.param(
        ["«Бюджет принят», – сообщили в пресс-службе губернатора Игоря Артамонова."],
        [Quote("Бюджет принят", "в пресс-службе губернатора Игоря Артамонова", None, "сообщили")],
        id="organisation-ending-in-a-name",
    ),
    pytest.param(
        ["«Бюджет принят», – сообщила пресс-служба."],
        [Quote("Бюджет принят", "пресс-служба", None, "сообщила")],
        id="no-name-phrase-as-written",
    ),
    pytest.param(
        ["Сергей Курбатов встретился с Андреем Чертковым.", "«Работа идёт», – отметил он."],
        [Quote("Работа идёт", "Сергей Курбатов", None, "отметил")],
        id="pronoun-from-plain-sentence",
    ),
    pytest.param(
        ["«Начнём», – сказала Елена Гусева.", "«Продолжим», – добавила она."],
        [
            Quote("Начнём", "Елена Гусева", None, "сказала"),
            Quote("Продолжим", "Елена Гусева", None, "добавила"),
        ],
        id="pronoun-from-quote",
    ),
    pytest.param(
        ["Сергей Курбатов и Елена Гусева открыли форум.", "«Мы рады гостям», – сказали они."],
        [Quote("Мы рады гостям", "Елена Гусева", None, "сказали")],
        id="pronoun-plural-last-named",
    ),
    pytest.param(
        ["Елена Гусева и Сергей Курбатов открыли форум.", "«Мы рады гостям», – добавила она."],
        [Quote("Мы рады гостям", "Елена Гусева", None, "добавила")],
        id="pronoun-agrees-in-gender",
    ),
    pytest.param(
        ["Сергей Курбатов открыл форум.", "Курбатов отметил: «Гостей много».", "«Это успех», – добавил он."],
        [
            Quote("Гостей много", "Курбатов", None, "отметил"),
            Quote("Это успех", "Сергей Курбатов", None, "добавил"),
        ],
        id="pronoun-full-name-as-first-written",
    ),
    pytest.param(
        ["Он подчеркнул: «Работа идёт»."],
        [Quote("Работа идёт", None, None, "подчеркнул")],
        id="pronoun-before-nobody-named",
    ),
    pytest.param(
        ["«Работа идёт», – отметил он."],
        [Quote("Работа идёт", None, None, "отметил")],
        id="pronoun-nobody-named",
    ),
    pytest.param(
        ["«Первое», – сказал Сергей Курбатов. «Второе», – добавил Иван Петров."],
        [
            Quote("Первое", "Сергей Курбатов", None, "сказал"),
            Quote("Второе", "Иван Петров", None, "добавил"),
        ],
        id="two-quotes-one-paragraph",
    ),
]

# Words between the verb and the name that are neither: adverbs, prepositional phrases and the listener.
LEADS = [
    pytest.param(
        ["«Мы готовы работать», – отметил в своем выступлении Игорь Артамонов."],
        [Quote("Мы готовы работать", "Игорь Артамонов", None, "отметил")],
        id="prepositional-phrase-before-name",
    ),
    pytest.param(
        ["«Мы готовы работать», – отметил в ходе встречи с журналистами Иван Петров."],
        [Quote("Мы готовы работать", "Иван Петров", None, "отметил")],
        id="prepositional-phrase-with-its-object",
    ),
    pytest.param(
        ["«Мы готовы работать», – отметил на пресс-конференции губернатор Липецкой области Игорь Артамонов."],
        [Quote("Мы готовы работать", "Игорь Артамонов", "губернатор Липецкой области", "отметил")],
        id="prepositional-phrase-then-role",
    ),
    pytest.param(
        ["«Мы готовы работать», – отметил в интервью ТАСС Гурген Малхасян."],
        [Quote("Мы готовы работать", "Гурген Малхасян", None, "отметил")],
        id="prepositional-phrase-with-acronym",
    ),
    pytest.param(
        ["«Мы готовы работать», – сказал сегодня Иван Петров."],
        [Quote("Мы готовы работать", "Иван Петров", None, "сказал")],
        id="adverb-before-name",
    ),
    pytest.param(
        ["В своем выступлении Игорь Артамонов подчеркнул: «Мы готовы работать»."],
        [Quote("Мы готовы работать", "Игорь Артамонов", None, "подчеркнул")],
        id="prepositional-phrase-before-speaker-before-quote",
    ),
    pytest.param(
        ["На сессии председатель облсовета Михаил Зотов подчеркнул: «Сессия прошла продуктивно»."],
        [Quote("Сессия прошла продуктивно", "Михаил Зотов", "председатель облсовета", "подчеркнул")],
        id="prepositional-phrase-then-role-before-quote",
    ),
    pytest.param(
        ["«Мы готовы работать», – сказал журналистам Иван Петров."],
        [Quote("Мы готовы работать", "Иван Петров", None, "сказал")],
        id="listener-dative",
    ),
    pytest.param(
        ["«Мы готовы работать», – сказал нашему изданию губернатор Липецкой области Игорь Артамонов."],
        [Quote("Мы готовы работать", "Игорь Артамонов", "губернатор Липецкой области", "сказал")],
        id="listener-then-role",
    ),
    pytest.param(
        ["«Мы готовы работать», – сказал корреспонденту РИА Новости Иван Петров."],
        [Quote("Мы готовы работать", "Иван Петров", None, "сказал")],
        id="listener-with-media-name",
    ),
    pytest.param(
        ["«Мы готовы работать», – сказал РИА Новости Иван Петров."],
        [Quote("Мы готовы работать", "Иван Петров", None, "сказал")],
        id="listener-media-name",
    ),
    pytest.param(
        ["«Мы готовы работать», – сказал «Коммерсанту» Иван Петров."],
        [Quote("Мы готовы работать", "Иван Петров", None, "сказал")],
        id="listener-media-in-guillemets",
    ),
    pytest.param(
        ["«Заводы готовы», – сказал журналистам министр промышленности ДНР Гурген Малхасян."],
        [Quote("Заводы готовы", "Гурген Малхасян", "министр промышленности ДНР", "сказал")],
        id="listener-then-role-with-acronym",
    ),
    pytest.param(
        ["«Заводы готовы», – заявил вице-губернатор Липецкой области Александр Малхасян."],
        [Quote("Заводы готовы", "Александр Малхасян", "вице-губернатор Липецкой области", "заявил")],
        id="role-is-not-a-listener",
    ),
]

# Persons speaking together are one speaker, written as in the text.
TOGETHER = [
    pytest.param(
        ["«Мы готовы», – отметили Иван Петров и Мария Иванова."],
        [Quote("Мы готовы", "Иван Петров и Мария Иванова", None, "отметили")],
        id="two-speakers",
    ),
    pytest.param(
        ["«Мы готовы», – отметили депутаты Иван Петров и Мария Иванова."],
        [Quote("Мы готовы", "Иван Петров и Мария Иванова", "депутаты", "отметили")],
        id="two-speakers-with-role",
    ),
    pytest.param(
        ["Иван Петров и Мария Иванова отметили: «Мы готовы»."],
        [Quote("Мы готовы", "Иван Петров и Мария Иванова", None, "отметили")],
        id="two-speakers-before-quote",
    ),
    pytest.param(
        ["«Мы готовы», – отметили Иван Петров и Мария Иванова.", "«Начнём», – добавила она."],
        [
            Quote("Мы готовы", "Иван Петров и Мария Иванова", None, "отметили"),
            Quote("Начнём", "Мария Иванова", None, "добавила"),
        ],
        id="pronoun-after-two-speakers",
    ),
]

# A quote over paragraphs: each opens with «, only the last closes; or one paragraph cut at a <br>.
SPANNING = [
    pytest.param(
        ["«Первый абзац цитаты.", "«Второй абзац цитаты», – отметил Иван Петров."],
        [Quote("Первый абзац цитаты. Второй абзац цитаты", "Иван Петров", None, "отметил")],
        id="quote-over-two-paragraphs",
    ),
    pytest.param(
        ["Иван Петров сказал: «Первый абзац.", "«Второй абзац.", "«Третий абзац»."],
        [Quote("Первый абзац. Второй абзац. Третий абзац", "Иван Петров", None, "сказал")],
        id="quote-over-three-paragraphs-speaker-before",
    ),
    pytest.param(
        ["«Мы готовы", "работать», – отметил Иван Петров."],
        [Quote("Мы готовы работать", "Иван Петров", None, "отметил")],
        id="quote-cut-by-br",
    ),
    pytest.param(
        ["«Незакрытая цитата.", "Просто текст.", "«Цитата», – сказал Иван Петров."],
        [Quote("Цитата", "Иван Петров", None, "сказал")],
        id="unclosed-then-plain-paragraph",
    ),
    pytest.param(
        ["«Абзац цитаты."] * 20 + ["«Последний абзац», – сказал Иван Петров."],
        [Quote("Последний абзац", "Иван Петров", None, "сказал")],
        id="more-than-twenty-paragraphs-read-alone",
    ),
]

# `он` / `она`: never a person of the other gender; a person named in an oblique case counts.
PRONOUNS = [
    pytest.param(
        ["Мария Иванова открыла форум.", "«Мы готовы работать», – отметил он."],
        [Quote("Мы готовы работать", None, None, "отметил")],
        id="pronoun-never-the-other-gender",
    ),
    pytest.param(
        ["Мария Иванова встретилась с Иваном Петровым.", "«Мы готовы работать», – отметил он."],
        [Quote("Мы готовы работать", "Иван Петров", None, "отметил")],
        id="pronoun-inflected-name-of-the-right-gender",
    ),
    pytest.param(
        ["Слово предоставили Ивану Петрову.", "«Мы готовы работать», – отметил он."],
        [Quote("Мы готовы работать", "Иван Петров", None, "отметил")],
        id="pronoun-dative-name",
    ),
    pytest.param(
        ["Сергей Курбатов открыл форум. Слово предоставили Андрею Черткову.", "«Мы готовы», – отметил он."],
        [Quote("Мы готовы", "Андрей Чертков", None, "отметил")],
        id="pronoun-inflected-name-in-a-later-sentence",
    ),
    pytest.param(
        ["Иван Петров поблагодарил Марию Иванову.", "«Спасибо», – сказала она."],
        [Quote("Спасибо", "Мария Иванова", None, "сказала")],
        id="pronoun-feminine-accusative",
    ),
]

NOT_QUOTES = [
    pytest.param(["Партия «Единая Россия» провела форум."], id="party-name"),
    pytest.param(["Вышел восьмой выпуск программы «Земля будущего»."], id="programme-title"),
    pytest.param(["Кандидата выдвинула партия «Родина»."], id="party-name-after-noun"),
    pytest.param(["Иван Петров поблагодарил избирателей «за поддержку моего решения»."], id="partial-quotation"),
    pytest.param(
        ["Он поблагодарил избирателей «за поддержку моего решения», – сообщили в пресс-службе."],
        id="partial-quotation-in-reported-speech",
    ),
    pytest.param(["«Единая Россия» – это партия большинства."], id="name-then-dash"),
    pytest.param(["– строительство дорог;", "– ремонт школ."], id="dash-list"),
    pytest.param(["«Незакрытая кавычка, – сказал Иван Петров."], id="unclosed-guillemet"),
    pytest.param(["«Незакрытая кавычка, – сказал Иван Петров.", "Просто текст."], id="unclosed-then-plain"),
    pytest.param(["«Незакрытая кавычка.", "«И ещё одна, – сказал Иван Петров."], id="unclosed-over-paragraphs"),
    pytest.param(["«Незакрытая кавычка.", "Партия «Родина» провела форум."], id="unclosed-then-name"),
    pytest.param([], id="no-paragraphs"),
]

VERBS = [
    "отметил", "отметила", "отметили", "подчеркнул", "подчеркнула", "подчёркнул", "сказал", "сказала",
    "заявил", "заявили", "пояснил", "пояснила", "добавил", "напомнил", "напомнила", "сообщил", "сообщили",
    "рассказал", "уточнил", "уточнила", "считает", "считают", "говорит", "написал", "заметил", "заметила",
    "констатировал", "резюмировал", "признался", "призналась", "признались", "ответил", "прокомментировал",
    "прокомментировала", "высказался", "высказалась", "указал", "поделился", "поделилась", "акцентировал",
    "убеждён", "убеждена", "уверен", "уверена", "уверены", "подытожил", "заключил", "объяснил", "доложил",
    "предложил", "говорится",
]  # fmt: skip


@pytest.mark.parametrize(("paragraphs", "expected"), FORMS)
def test_form(paragraphs: list[str], expected: list[Quote]) -> None:
    assert extract_quotes(paragraphs) == expected


@pytest.mark.parametrize(("paragraphs", "expected"), LEADS)
def test_lead_before_name(paragraphs: list[str], expected: list[Quote]) -> None:
    assert extract_quotes(paragraphs) == expected


@pytest.mark.parametrize(("paragraphs", "expected"), TOGETHER)
def test_speakers_together(paragraphs: list[str], expected: list[Quote]) -> None:
    assert extract_quotes(paragraphs) == expected


@pytest.mark.parametrize(("paragraphs", "expected"), SPANNING)
def test_quote_over_paragraphs(paragraphs: list[str], expected: list[Quote]) -> None:
    assert extract_quotes(paragraphs) == expected


@pytest.mark.parametrize(("paragraphs", "expected"), PRONOUNS)
def test_pronoun(paragraphs: list[str], expected: list[Quote]) -> None:
    assert extract_quotes(paragraphs) == expected


@pytest.mark.parametrize("paragraphs", NOT_QUOTES)
def test_not_a_quote(paragraphs: list[str]) -> None:
    assert extract_quotes(paragraphs) == []


@pytest.mark.parametrize("verb", VERBS)
def test_speech_verb(verb: str) -> None:
    paragraph = f"«Работа идёт», – {verb} Иван Петров."
    assert extract_quotes([paragraph]) == [Quote("Работа идёт", "Иван Петров", None, verb)]


def test_seed_quote_paragraphs() -> None:
    paragraphs = [p for p in SEED_PARAGRAPHS if p.startswith("«")]
    assert len(paragraphs) == 2
    assert extract_quotes(paragraphs) == SEED_QUOTES


def test_seed_body() -> None:
    assert extract_quotes(SEED_PARAGRAPHS) == SEED_QUOTES


FRAGMENTS = [
    "«", "»", '"', "– ", "— ", "- ", ", ", ". ", ": ", "! ", "? ", "...", "А.", "В. ",
    "отметил ", "сказала ", "напомнили ", "он ", "она ", "в облизбиркоме", "Сергей ", "Курбатов ",
    "Ольга Петровна Иванова", "губернатор ", "также ", "текст ", "\n", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS)).map("".join)), max_size=6))
def test_never_raises(paragraphs: list[str]) -> None:
    quotes = extract_quotes(paragraphs)
    assert all(isinstance(quote, Quote) and quote.text for quote in quotes)
