"""Russian full-text search: stems index, query rewriting, snippets, and the index following the articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper import research
from scraper.errors import InputError
from scraper.fts import build_match_query, stem_text
from scraper.store import Archive
from tests.archive_records import SEED, SEED_EDITED, ZOTOV, build_fixture_archive, record


@pytest.fixture
def archive(tmp_path: Path):
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


def ids(hits: list[research.SearchHit]) -> list[int]:
    return [hit.article_id for hit in hits]


def test_stems_are_one_per_word_lower_case_without_yo() -> None:
    assert stem_text("Вице-губернатор: кооперацию, Ёлки 2025!") == "виц губернатор кооперац елк 2025"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("кооперация", "{headline_stem body_stem quotes_stem} : (кооперац)"),
        ('"промышленной кооперации" OR Зотов', '{headline_stem body_stem quotes_stem} : ("промышлен кооперац" OR зот)'),
        ("коопер* NOT ДНР", "{headline_stem body_stem quotes_stem} : (коопер* NOT днр)"),
        ("headline: выборы", "{headline_stem body_stem quotes_stem} : (headline_stem: выбор)"),
        ("Вице-губернатор", "{headline_stem body_stem quotes_stem} : (виц губернатор)"),
    ],
    ids=["word", "phrase-or", "prefix-not", "column", "hyphen"],
)
def test_query_words_become_stems(query: str, expected: str) -> None:
    assert build_match_query(query) == expected


@pytest.mark.parametrize("form", ["кооперация", "кооперации", "кооперацию", "КООПЕРАЦИЕЙ"])
def test_any_form_finds_every_form(archive: Archive, form: str) -> None:
    archive.upsert_article(record(SEED))
    archive.upsert_article(record(ZOTOV))
    assert ids(research.search(archive, form)) == [2, 1]


def test_snippet_highlights_the_word_as_written(archive: Archive) -> None:
    archive.upsert_article(record(ZOTOV))
    [hit] = research.search(archive, "соседний регион")
    assert hit.snippet == (
        "Михаил Зотов подчеркнул: «Кооперация с [соседними] [регионами] останется приоритетом».\n\n"
        "Депутаты поддержали планы по кооперации."
    )
    [hit] = research.search(archive, "сосед")
    assert hit.snippet == "Михаил Зотов: кооперацию с [соседями] продолжим"


def test_a_word_that_is_not_there_is_a_miss(archive: Archive) -> None:
    archive.upsert_article(record(SEED))
    assert research.search(archive, "металлургия") == []


def test_index_follows_updates(archive: Archive) -> None:
    archive.upsert_article(record(SEED))
    assert ids(research.search(archive, "планируют")) == [1]
    archive.upsert_article(record(SEED_EDITED))
    assert research.search(archive, "планируют") == []  # only the old headline had it
    assert ids(research.search(archive, "запускают")) == [1]
    assert archive.conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone() == (1,)


def test_rebuild_gives_the_same_results(tmp_path: Path) -> None:
    with Archive.open(build_fixture_archive(tmp_path / "a.db")) as archive:
        before = research.search(archive, "кооперация")
        assert archive.rebuild_search_index() == 3
        assert research.search(archive, "кооперация") == before


def test_plain_sqlite_users_can_query_words_and_stems(archive: Archive) -> None:
    archive.upsert_article(record(SEED))
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    assert archive.conn.execute(sql, ("кооперации",)).fetchall() == [(1,)]
    assert archive.conn.execute(sql, ("body_stem: кооперац",)).fetchall() == [(1,)]


@pytest.mark.parametrize("query", ['"unclosed', "AND OR", "body: (", "nosuchcolumn: слово"])
def test_malformed_query_is_an_input_error(archive: Archive, query: str) -> None:
    with pytest.raises(InputError, match="malformed search query"):
        research.search(archive, query)


def test_query_without_words_is_an_input_error(archive: Archive) -> None:
    with pytest.raises(InputError, match="has no words"):
        research.search(archive, "*** ()")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("кооперация*", "{headline_stem body_stem quotes_stem} : ((кооперация* OR кооперац))"),
        ("NEAR(выборы депутатов, 5)", "{headline_stem body_stem quotes_stem} : (NEAR(выбор депутат, 5))"),
        ("NEAR(выборы* депутатов)", "{headline_stem body_stem quotes_stem} : (NEAR(выборы* депутат))"),
        ("выборы, депутаты", "{headline_stem body_stem quotes_stem} : (выбор  депутат)"),
        ("HEADLINE : выборы", "{headline_stem body_stem quotes_stem} : (headline_stem: выбор)"),
        ("{headline Quotes}: выборы", "{headline_stem body_stem quotes_stem} : ({headline_stem quotes_stem}: выбор)"),
        ("body_stem: кооперац", "{headline_stem body_stem quotes_stem} : (body_stem: кооперац)"),
        ("-headline: выборы", "{headline_stem body_stem quotes_stem} : (-headline_stem: выбор)"),
    ],
    ids=["prefix-of-a-word-form", "near-distance", "prefix-in-near", "comma", "column-any-case", "column-set",
         "stem-column", "column-excluded"],
)
def test_query_syntax_is_kept(query: str, expected: str) -> None:
    assert build_match_query(query) == expected


@pytest.mark.parametrize("query", ["кооперация*", "кооперацию*", "коопер*", "кооперация"])
def test_a_prefix_finds_at_least_what_the_word_finds(archive: Archive, query: str) -> None:
    archive.upsert_article(record(SEED))
    archive.upsert_article(record(ZOTOV))
    assert ids(research.search(archive, query)) == [2, 1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("headline: NEAR(Михаил соседями, 2)", []),
        ("headline: NEAR(Михаил соседями, 3)", [2]),
        ("HEADLINE : запустить", [1]),
        ("{headline quotes}: Липецкая", [1]),
        ("-body: Зотов", [2]),
        ("body_stem: кооперац", [2, 1]),
    ],
)
def test_near_distance_and_column_filters_search(archive: Archive, query: str, expected: list[int]) -> None:
    archive.upsert_article(record(SEED))
    archive.upsert_article(record(ZOTOV))
    assert ids(research.search(archive, query)) == expected


@pytest.mark.parametrize("query", ["выборы AND", "(выборы"])
def test_a_query_that_ends_early_says_so(archive: Archive, query: str) -> None:
    with pytest.raises(InputError, match=r"syntax error at the end of the query"):
        research.search(archive, query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("16:16", "{headline_stem body_stem quotes_stem} : (16 16)"),
        ("Время: 16", "{headline_stem body_stem quotes_stem} : (врем  16)"),
        ("кооперация:", "{headline_stem body_stem quotes_stem} : (кооперац)"),
        ("https://vybor-naroda.org", "{headline_stem body_stem quotes_stem} : (https   vybor naroda org)"),
        ("выбо́ры", "{headline_stem body_stem quotes_stem} : (выбор)"),
        ("коопе\u00adрация", "{headline_stem body_stem quotes_stem} : (кооперац)"),
    ],
    ids=["clock-time", "cyrillic-word-and-colon", "trailing-colon", "url", "stress-mark", "soft-hyphen"],
)
def test_a_colon_or_an_invisible_mark_in_a_word_is_no_syntax(query: str, expected: str) -> None:
    assert build_match_query(query) == expected


@pytest.mark.parametrize("query", ["{}: кооперация", "NEAR(кооперация Липецкая, x)"])
def test_more_malformed_queries_are_input_errors(archive: Archive, query: str) -> None:
    archive.upsert_article(record(SEED))
    with pytest.raises(InputError, match="malformed search query"):
        research.search(archive, query)


def test_category_in_any_case_and_a_reversed_date_range(archive: Archive) -> None:
    archive.upsert_article(record(SEED))
    category = archive.load_article(1).record.category
    assert category is not None
    assert ids(research.search(archive, "кооперация", category=category.upper())) == [1]
    with pytest.raises(InputError, match="--since 2026-01-02 is after --until 2026-01-01"):
        research.search(archive, "кооперация", since="2026-01-02", until="2026-01-01")
