"""Reproduced extractor defects, round 2, each pinned with exact values: fixture pages edited the way a
template or an editor might must still give their expected records' fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from scraper.extract import extract_article, looks_like_html
from scraper.extract.dom import NOISE, NOT_NOISE, WEAK_NOISE, noise_level
from scraper.models import Article
from scraper.urls import join_url
from tests.conftest import EXPECTED, SEED_FETCHED_AT, SEED_PAGE, SEED_URL, load_json, mirror_path

SEED = load_json(EXPECTED / "297434.json")
SEED_HTML = SEED_PAGE.read_text(encoding="utf-8")
SEED_PARAGRAPHS = SEED["body"].split("\n\n")
FIRST = SEED_PARAGRAPHS[0]
SEED_IMAGE = "http://2018.vybor-naroda.org/uploads/posts/2025-12/1765113371_kurbatov-dnr.jpg"
SEED_CREDIT_DIV = (
    '<div class="full-img-credit">Фото с сайта:<br><a href="https://xn--80aacoonefzg3am8b1fsb.xn--p1ai/" '
    'target="_blank" rel="nofollow noopener">липецкаяобласть.рф</a></div>'
)
SOCIAL = load_json(EXPECTED / "294500.json")  # portal template, share block, table, list
DLE10 = load_json(EXPECTED / "290218.json")  # stock DLE 10: div.maincont, editor's note with its own date
DLE14 = load_json(EXPECTED / "292045.json")  # stock DLE 14: figure with figcaption, time.date[datetime]
PRINT = load_json(EXPECTED / "295812-print.json")  # DLE's print version


def _page(expected: dict[str, Any]) -> str:
    return mirror_path(expected["url"]).read_text(encoding="utf-8")


def _edited(expected: dict[str, Any], *replacements: tuple[str, str]) -> str:
    html = _page(expected)
    for old, new in replacements:
        assert html.count(old) == 1, old
        html = html.replace(old, new)
    return html


def _extract(expected: dict[str, Any], html: str | bytes) -> Article:
    return extract_article(html, url=expected["url"], fetched_at=expected["fetched_at"])


def _seed_with_body(inner: str) -> str:
    """The seed page with the body container's content replaced."""
    start = SEED_HTML.index('<div class="full-text">') + len('<div class="full-text">')
    end = SEED_HTML.index("</div>", start)
    return SEED_HTML[:start] + inner + SEED_HTML[end:]


def _quotes(article: Article) -> list[dict[str, Any]]:
    return [quote.to_dict() for quote in article.quotes]


# 1. A class name that merely suggests noise does not hide story text; real noise blocks still go.


@pytest.mark.parametrize("name", ["commentary", "shared-content", "printable-area"])
def test_a_wrapper_named_like_noise_keeps_the_whole_body(name: str) -> None:
    html = _edited(
        SOCIAL,
        ('<div class="full-text">', f'<div class="full-text"><div class="{name}">'),
        ('\n<div class="full-tags">', '</div>\n<div class="full-tags">'),
    )
    article = _extract(SOCIAL, html)
    assert article.body == SOCIAL["body"]
    assert _quotes(article) == SOCIAL["quotes"]
    assert article.warnings == ()


@pytest.mark.parametrize("name", ["commentary", "shared-content", "printable-area"])
def test_a_paragraph_named_like_noise_is_body(name: str) -> None:
    article = _extract(SOCIAL, _edited(SOCIAL, ("<p>Поправки вступят", f'<p class="{name}">Поправки вступят')))
    assert article.body == SOCIAL["body"]


def test_a_table_of_data_with_a_rating_class_is_body() -> None:
    table = (
        '<table class="rating-table"><tr><td>Иван Петров</td><td>34%</td></tr>'
        "<tr><td>Мария Иванова</td><td>28%</td></tr></table>"
    )
    article = _extract(SEED, _seed_with_body(f"<p>Результаты опроса:</p>{table}"))
    assert article.body == "Результаты опроса:\n\nИван Петров | 34%\n\nМария Иванова | 28%"


def test_an_editor_block_holding_paragraphs_is_body() -> None:
    article = _extract(SEED, _seed_with_body('<div class="editor"><p>Абзац в редакторе.</p></div>'))
    assert article.body == "Абзац в редакторе."
    assert article.warnings == ()


def test_a_social_policy_paragraph_is_body() -> None:
    html = _seed_with_body('<p class="social-policy">Социальная политика региона остается приоритетом.</p>')
    assert _extract(SEED, html).body == "Социальная политика региона остается приоритетом."


NOISE_BLOCKS = {
    "share-buttons": "ВКонтакте Одноклассники",
    "ya-share2": "ВКонтакте Telegram",
    "related-news": "Похожие новости: В Липецке открыли новый сквер",
    "comments-tree": "Иван: отличная новость, спасибо",
    "dle-comments-list": "Гость: когда будет ремонт?",
    "full-tags": "облсовет, бюджет",
    "news-rating": "Рейтинг 5 Голосов 12",
    "editor-note": "Материал подготовлен редакцией портала",
    "print-link": "Распечатать статью",
    "photo-credit": "пресс-служба облсовета",
    "img-caption": "Сессия областного Совета депутатов",
}


@pytest.mark.parametrize("name", sorted(NOISE_BLOCKS))
def test_real_noise_blocks_are_still_left_out(name: str) -> None:
    block = f'<div class="{name}">{NOISE_BLOCKS[name]}</div>\n'
    article = _extract(SOCIAL, _edited(SOCIAL, ('<div class="full-text">\n', f'<div class="full-text">\n{block}')))
    assert article.body == SOCIAL["body"]
    assert article.photo_credit == SOCIAL["photo_credit"]


@pytest.mark.parametrize(
    ("block", "body"),
    [
        ('<div class="social-links"><a href="#">ВКонтакте</a> <a href="#">Telegram</a></div>', FIRST),
        ('<div class="socials">Мы в соцсетях</div>', FIRST),
        ('<div class="rating-box">4.5 из 5 (голосов: 12)</div>', FIRST),
        ('<div class="news-editor">Новость отредактировала Мария</div>', FIRST),
        (
            '<div class="commentary"><a href="/x/1-a.html">Комментарий эксперта к новости читайте здесь.</a></div>',
            FIRST,
        ),
    ],
)
def test_weakly_named_blocks_without_story_text_are_left_out(block: str, body: str) -> None:
    assert _extract(SEED, _seed_with_body(f"<p>{FIRST}</p>{block}")).body == body


@pytest.mark.parametrize(
    ("names", "level"),
    [
        ("commentary ", WEAK_NOISE),
        ("shared-content ", WEAK_NOISE),
        ("printable-area ", WEAK_NOISE),
        ("social-policy ", WEAK_NOISE),
        ("rating-table ", WEAK_NOISE),
        ("editor ", WEAK_NOISE),
        ("share-buttons ", NOISE),
        ("ya-share2 ", NOISE),
        ("shareButtons ", NOISE),
        ("related-news ", NOISE),
        ("comments-tree ", NOISE),
        ("dle-comments-list ", NOISE),
        ("full-tags ", NOISE),
        ("news-rating ", NOISE),
        ("editor-note ", NOISE),
        ("print-link ", NOISE),
        ("photo-credit ", NOISE),
        ("img-caption ", NOISE),
        ("b-social ", NOISE),
        ("editor-content ", NOT_NOISE),
        ("col-md-8 ", NOT_NOISE),
    ],
)
def test_noise_levels_of_names(names: str, level: int) -> None:
    assert noise_level(names) == level


# 2. Story sentences opening with `Фото` are not credit lines.

STORY_PHOTO_SENTENCES = [
    "Фото с сайта мэрии удалили после публикации.",
    "Фото – лучший способ сохранить память о событии, считают организаторы конкурса.",
    "Фото-отчет с мероприятия размещен на сайте администрации.",
]


@pytest.mark.parametrize("sentence", STORY_PHOTO_SENTENCES)
def test_a_story_sentence_opening_with_photo_is_body_on_a_page_with_a_credit(sentence: str) -> None:
    article = _extract(SEED, _edited(SEED, (f"<p>{FIRST}</p>", f"<p>{sentence}</p><p>{FIRST}</p>")))
    assert article.body == f"{sentence}\n\n{SEED['body']}"
    assert article.photo_credit == SEED["photo_credit"]


@pytest.mark.parametrize("sentence", STORY_PHOTO_SENTENCES)
def test_a_story_sentence_opening_with_photo_is_no_credit_on_a_page_without_one(sentence: str) -> None:
    article = _extract(
        DLE10, _edited(DLE10, ('<div class="maincont">\n', f'<div class="maincont">\n<p>{sentence}</p>'))
    )
    assert article.body == f"{sentence}\n\n{DLE10['body']}"
    assert article.photo_credit is None
    assert "photo_credit: not found on the page" in article.warnings


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Фото — пресс-служба правительства ДНР", "пресс-служба правительства ДНР"),
        ("Фото с сайта oblsovet.ru", "oblsovet.ru"),
        ("Источник фото – oblsovet.ru", "oblsovet.ru"),
        (
            "Фото - пресс-служба Министерства промышленности и торговли ДНР",
            "пресс-служба Министерства промышленности и торговли ДНР",
        ),
    ],
)
def test_a_credit_line_without_a_colon_on_a_page_without_credit(line: str, credit: str) -> None:
    article = _extract(DLE10, _edited(DLE10, ('<div class="maincont">\n', f'<div class="maincont">\n<p>{line}</p>')))
    assert article.photo_credit == credit
    assert article.body == DLE10["body"]


# 3. Only share-button furniture opening with `Поделиться` is left out.


def test_a_sentence_opening_with_share_is_body() -> None:
    sentence = "Поделиться опытом в Липецк приехали коллеги из Тамбовской области."
    article = _extract(SEED, _seed_with_body(f"<p>{FIRST}</p><p>{sentence}</p>"))
    assert article.body == f"{FIRST}\n\n{sentence}"


def test_a_long_paragraph_opening_with_share_is_body() -> None:
    long = " ".join(
        ["Поделиться опытом реализации национальных проектов в Липецк приехали представители областей."] * 6
    )
    assert _extract(SEED, _seed_with_body(f"<p>{FIRST}</p><p>{long}</p>")).body == f"{FIRST}\n\n{long}"


@pytest.mark.parametrize(
    "furniture",
    [
        "<p>Поделиться</p>",
        "<p>Поделиться:</p>",
        "<p>Поделиться в соцсетях</p>",
        '<div><span>Поделиться:</span> <a href="#">ВКонтакте</a> <a href="#">Telegram</a></div>',
    ],
)
def test_share_button_furniture_is_not_body(furniture: str) -> None:
    assert _extract(SEED, _seed_with_body(f"<p>{FIRST}</p>{furniture}")).body == FIRST


# 4, 5. Speakers: abbreviations in roles, persons speaking together each with a role.


def _quote_of(attribution: str) -> list[dict[str, Any]]:
    html = _seed_with_body(f"<p>{FIRST}</p><p>{attribution}</p>")
    return _quotes(_extract(SEED, html))


def test_an_abbreviation_with_dots_in_a_role_is_no_initial() -> None:
    assert _quote_of("«Мы справимся», – заявил и.о. главы администрации Липецка Роман Ченцов.") == [
        {
            "text": "Мы справимся",
            "speaker": "Роман Ченцов",
            "speaker_role": "и.о. главы администрации Липецка",
            "verb": "заявил",
        }
    ]


def test_an_abbreviation_opening_the_sentence_before_a_quote() -> None:
    assert _quote_of("И.о. главы администрации Липецка Роман Ченцов заявил: «Мы справимся».") == [
        {
            "text": "Мы справимся",
            "speaker": "Роман Ченцов",
            "speaker_role": "И.о. главы администрации Липецка",
            "verb": "заявил",
        }
    ]


def test_a_deputys_abbreviated_role() -> None:
    assert _quote_of("«Мы справимся», – заявил зам. губернатора Иван Петров.") == [
        {"text": "Мы справимся", "speaker": "Иван Петров", "speaker_role": "зам. губернатора", "verb": "заявил"}
    ]


def test_persons_speaking_together_each_with_a_role_are_the_speaker_as_written() -> None:
    assert _quote_of("«Мы справимся», – заявили губернатор Игорь Артамонов и мэр Липецка Роман Ченцов.") == [
        {
            "text": "Мы справимся",
            "speaker": "губернатор Игорь Артамонов и мэр Липецка Роман Ченцов",
            "speaker_role": None,
            "verb": "заявили",
        }
    ]


def test_a_pronoun_after_persons_speaking_together_names_the_person_not_the_role() -> None:
    quotes = _quote_of(
        "«Мы справимся», – заявили губернатор Игорь Артамонов и мэр Липецка Роман Ченцов. "
        "«И сделаем это в срок», – добавил он."
    )
    assert [(quote["speaker"], quote["speaker_role"]) for quote in quotes] == [
        ("губернатор Игорь Артамонов и мэр Липецка Роман Ченцов", None),
        ("Роман Ченцов", None),
    ]


# 6, 7. `На фото:` labels a caption: never a credit, never body.


def test_a_figcaption_naming_who_is_pictured_is_no_credit() -> None:
    article = _extract(
        DLE14,
        _edited(
            DLE14,
            (
                "<figcaption>Фото: пресс-служба избирательной комиссии Липецкой области</figcaption>",
                "<figcaption>На фото: председатель облизбиркома Михаил Зотов</figcaption>",
            ),
        ),
    )
    assert article.photo_credit is None
    assert article.body == DLE14["body"]
    assert article.warnings == ("photo_credit: not found on the page",)


def test_a_caption_under_an_image_in_the_text_is_not_body() -> None:
    caption = (
        '<div style="text-align:center;"><img src="/uploads/posts/2025-08/x.jpg" alt=""><br>'
        "<i>На фото: Ольга Семенова</i></div>"
    )
    article = _extract(DLE10, _edited(DLE10, ('<div class="maincont">\n', f'<div class="maincont">\n{caption}\n')))
    assert article.body == DLE10["body"]
    assert article.photo_credit is None


def test_a_credit_after_a_caption_in_a_figcaption_is_still_the_credit() -> None:
    article = _extract(
        DLE14,
        _edited(
            DLE14,
            (
                "<figcaption>Фото: пресс-служба избирательной комиссии Липецкой области</figcaption>",
                "<figcaption>На снимке: Михаил Зотов. Фото: пресс-служба облизбиркома</figcaption>",
            ),
        ),
    )
    assert article.photo_credit == "пресс-служба облизбиркома"


# 8. The DLE 10 editor's note date is not the publication date.

DLE10_DATE = 'от <span class="date">18 августа 2025, 10:05</span>'


def test_without_its_date_a_dle10_page_has_no_publication_date() -> None:
    article = _extract(DLE10, _edited(DLE10, (DLE10_DATE, "")))
    assert (article.published_text, article.published_at) == (None, None)
    assert "published_at: not found on the page" in article.warnings
    assert article.body == DLE10["body"]


@pytest.mark.parametrize("shown", ["31/02/2025", "13/25/2025", "00 августа 2025, 10:05"])
def test_an_impossible_dle10_date_is_not_replaced_by_the_editors_note(shown: str) -> None:
    article = _extract(DLE10, _edited(DLE10, (DLE10_DATE, f'от <span class="date">{shown}</span>')))
    assert (article.published_text, article.published_at) == (None, None)
    assert "published_at: not found on the page" in article.warnings


# 9. The print version's date is read as the other templates' dates are.

PRINT_DATE = "Новость от: 12 ноября 2025, 10:32, Категория"


@pytest.mark.parametrize(
    ("shown", "iso"),
    [
        ("2025-12-07 16:16", "2025-12-07T16:16:00+03:00"),
        ("07.12.2025", "2025-12-07T00:00:00+03:00"),
        ("7 дек. 2025, 16:16", "2025-12-07T16:16:00+03:00"),
        ("07 декабря 2025", "2025-12-07T00:00:00+03:00"),
        ("07 декабря 2025, 16:16", "2025-12-07T16:16:00+03:00"),
    ],
)
def test_print_page_dates(shown: str, iso: str) -> None:
    html = _edited(PRINT, (PRINT_DATE, f"Новость от: {shown}, Категория"))
    article = extract_article(html, url=PRINT["url"], fetched_at="2025-12-07T17:00:00+03:00")
    assert (article.published_text, article.published_at) == (shown, iso)


def test_print_page_weekday_is_left_out_as_on_other_templates() -> None:
    html = _edited(PRINT, (PRINT_DATE, "Новость от: Воскресенье, 7 декабря 2025, 16:16, Категория"))
    article = extract_article(html, url=PRINT["url"], fetched_at="2025-12-07T17:00:00+03:00")
    assert (article.published_text, article.published_at) == ("7 декабря 2025, 16:16", "2025-12-07T16:16:00+03:00")


# 10. A stray NUL byte costs nothing; a binary file is still no page.


def test_a_page_with_a_nul_byte_is_html_and_extracts_cleanly() -> None:
    raw = SEED_PAGE.read_bytes().replace("Ключевая тема".encode(), "Ключевая\x00 тема".encode())
    raw = raw.replace(
        b'href="http://2018.vybor-naroda.org/lentanovostey/303190-',
        b'href="http://2018.vybor-naroda.org/lentanovostey/\x00303190-',
    )
    assert looks_like_html(raw)
    article = _extract(SEED, raw)
    assert article.body == SEED["body"]
    assert article.sidebar[0].url == SEED["sidebar"][0]["url"]
    record = json.dumps(article.to_dict(), ensure_ascii=False)
    assert "\x00" not in record and "\ufffd" not in record
    assert article.warnings == ()


def test_the_cli_extracts_a_page_with_a_nul_byte(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(SEED_PAGE.read_bytes().replace("Ключевая тема".encode(), "Ключевая\x00 тема".encode()))
    result = CliRunner().invoke(
        app, ["extract", str(page), "--url", SEED_URL, "--fetched-at", SEED_FETCHED_AT, "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["body"] == SEED["body"]


def test_binary_data_with_markup_in_it_is_still_no_page() -> None:
    binary = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8 + b"<html><p>text</p>" + bytes(range(32)) * 16
    assert not looks_like_html(binary)


# 11. A host with a space (or another character no host holds) is no URL.


@pytest.mark.parametrize(
    "href",
    ["http://exa mple.org/x", "http://exa mple.org", "https://ex<a.org/x", "//exa mple.org/x", "http://h ost:80/x"],
)
def test_join_url_gives_none_for_a_host_no_host_can_be(href: str) -> None:
    assert join_url(SEED_URL, href) is None


def test_join_url_keeps_spaces_in_paths_and_idn_hosts() -> None:
    assert join_url(SEED_URL, "/a b.html") == "http://2018.vybor-naroda.org/a b.html"
    assert join_url(SEED_URL, "http://липецкаяобласть.рф/x") == "http://липецкаяобласть.рф/x"
    assert join_url(SEED_URL, "https://a.b") == "https://a.b"


def test_a_feed_link_with_a_space_in_its_host_costs_its_url() -> None:
    href = 'href="http://2018.vybor-naroda.org/lentanovostey/303190-'
    article = _extract(SEED, SEED_HTML.replace(href, 'href="http://exa mple.org/lentanovostey/303190-', 1))
    assert article.sidebar[0].url is None
    assert article.sidebar[0].title == SEED["sidebar"][0]["title"]
    assert article.sidebar[1].url == SEED["sidebar"][1]["url"]
    assert article.warnings == ()


def test_a_canonical_link_with_a_space_in_its_host_is_no_url() -> None:
    html = _edited(
        DLE14,
        (
            f'<link rel="canonical" href="{DLE14["canonical_url"]}">',
            '<link rel="canonical" href="http://exa mple.org/a.html">',
        ),
        (f'<meta property="og:url" content="{DLE14["canonical_url"]}">', ""),
    )
    article = _extract(DLE14, html)
    assert article.canonical_url is None
    assert article.warnings == ("canonical_url: not a valid URL on the page",)


def test_an_image_src_with_a_space_in_its_host_leaves_og_image_to_name_the_image() -> None:
    article = _extract(SEED, SEED_HTML.replace(f'<img src="{SEED_IMAGE}"', '<img src="http://exa mple.org/x.jpg"', 1))
    assert article.image_url == SEED_IMAGE
    assert article.warnings == ()


def test_an_image_without_any_url_is_null_with_a_warning() -> None:
    html = _edited(
        DLE14,
        ('<img src="/uploads/posts/2025-09/1757948712_itogi-vyborov.jpg"', '<img src="http://exa mple.org/x.jpg"'),
        (f'<meta property="og:image" content="{DLE14["image_url"]}">', ""),
    )
    article = _extract(DLE14, html)
    assert article.image_url is None
    assert article.warnings == ("image_url: not a valid URL on the page",)


# 12. The print record names no credit; published_text is only what the page shows.


def test_a_credit_line_in_the_print_text_gives_no_credit() -> None:
    html = _edited(
        PRINT,
        (
            '<div id="print-text">\n',
            '<div id="print-text">\n<p><img src="/uploads/posts/2025-11/a.jpg"></p>'
            "<p>Фото с сайта: t.me/lipetsk_izbirkom</p>\n",
        ),
    )
    article = _extract(PRINT, html)
    assert (article.photo_credit, article.image_url) == (None, None)
    assert article.body == PRINT["body"]


def test_a_time_element_showing_no_text_gives_no_published_text() -> None:
    html = _edited(DLE14, ('<a href="http://2018.vybor-naroda.org/2025/09/15/">15 сентября 2025, 18:05</a>', ""))
    article = _extract(DLE14, html)
    assert (article.published_text, article.published_at) == (None, DLE14["published_at"])
    assert article.warnings == ()
