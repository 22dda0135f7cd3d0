"""Store stage, search index: Russian full-text search without a custom tokenizer.

A custom FTS5 tokenizer would exist only inside our process: `sqlite3` and Datasette could not read or
query the index. So the index stays a plain FTS5 table (`articles_fts`, unicode61 tokenizer) and the
stemming happens here, in Python, before text reaches it:

- columns `headline`, `body`, `quotes` index the words as written (what Datasette's search box and a
  `sqlite3` user typing a word form hit);
- columns `headline_stem`, `body_stem`, `quotes_stem` index one Snowball stem per word, in the same order
  as the words. Their external content (the view `articles_search_content`) is the original text, so
  FTS5's `snippet()`/`highlight()` re-tokenize the original and highlight the words that matched.

A query is stemmed the same way (`build_match_query`), so `кооперация` finds `кооперации`. A `sqlite3`
user can match stems directly: `articles_fts MATCH 'body_stem: кооперац'`.

Only `scraper/store.py` writes the index, in the same transaction as the article row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from functools import cache

import Stemmer

from scraper.errors import InputError

# A word exactly as FTS5's unicode61 tokenizer sees one: a run of letters and digits (categories L*, N*).
WORD = re.compile(r"[^\W_]+")
STEM_COLUMNS = ("headline_stem", "body_stem", "quotes_stem")
TEXT_COLUMNS = ("headline", "body", "quotes")
# bm25 weights per column of articles_fts: a hit in the headline counts most, then quotes.
BM25_WEIGHTS = (10.0, 1.0, 2.0, 10.0, 1.0, 2.0)
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
# Query syntax FTS5 understands, one token each: a "phrase" (an unclosed one runs to the end), a column
# filter (`headline:`, `HEADLINE :`, `-body:`, `{headline quotes}:`), a word with its prefix star, the
# punctuation of the syntax; any other character separates words like a space does.
# A column name is an ASCII identifier (`16:16`, `Время:` and `https://` are words, not filters).
_QUERY_TOKEN = re.compile(
    r'"(?:[^"]|"")*"?|-?\{[^{}":]*\}\s*:|-?[A-Za-z_][A-Za-z0-9_]*\s*:(?!/)|[^\W_]+\*?|[\s(){}+^*:,]+|.', re.DOTALL
)
_COLUMN_FILTER = re.compile(r"(?P<minus>-?)(?:\{(?P<names>[^{}]*)\}|(?P<name>[A-Za-z_][A-Za-z0-9_]*))\s*:", re.DOTALL)
# Marks inside a query word that are no letters: stress accents, soft hyphens, zero-width characters.
# Left in, they would cut `выбо́ры` into two words. (Stored text has no soft hyphens or zero-width
# characters; its index is left as it was built, since FTS5 can only delete what it indexed.)
_INVISIBLE_IN_WORDS = dict.fromkeys(map(ord, "\u0300\u0301\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# What a column name a researcher types searches: the stems of that text (a word form finds every form).
_STEM_COLUMN_OF = {name: f"{name}_stem" for name in TEXT_COLUMNS} | {name: name for name in STEM_COLUMNS}


@cache
def russian_stemmer() -> Stemmer.Stemmer:
    """The Snowball Russian stemmer (built once; it keeps its own cache)."""
    return Stemmer.Stemmer("russian")


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def stem_words(words: Iterable[str]) -> list[str]:
    """Lower-cased Snowball stems, one per word (ё folded to е)."""
    return russian_stemmer().stemWords([_fold(w) for w in words])


def stem_text(text: str | None) -> str | None:
    """One stem per word of `text`, space-separated: what the *_stem columns index."""
    if text is None:
        return None
    return " ".join(stem_words(WORD.findall(text)))


def join_quotes(quote_texts: Iterable[str]) -> str | None:
    """The `quotes` search text, exactly as the view `articles_search_content` builds it."""
    texts = list(quote_texts)
    return "\n".join(texts) if texts else None


def _values(headline: str | None, body: str | None, quotes: str | None) -> tuple[str | None, ...]:
    return (headline, body, quotes, stem_text(headline), stem_text(body), stem_text(quotes))


def index_article(
    conn: sqlite3.Connection, article_id: int, headline: str | None, body: str | None, quotes: str | None
) -> None:
    """Add an article's current text to the index (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO articles_fts (rowid, headline, body, quotes, headline_stem, body_stem, quotes_stem) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (article_id, *_values(headline, body, quotes)),
    )


def unindex_article(
    conn: sqlite3.Connection, article_id: int, headline: str | None, body: str | None, quotes: str | None
) -> None:
    """Remove exactly what `index_article` added for this text (FTS5 external content needs the old values)."""
    conn.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, headline, body, quotes, headline_stem, body_stem, quotes_stem) "
        "VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)",
        (article_id, *_values(headline, body, quotes)),
    )


def reindex_all(conn: sqlite3.Connection) -> int:
    """Drop the whole index and rebuild it from `articles_search_content`; return the number of articles."""
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
    rows = conn.execute("SELECT id, headline, body, quotes FROM articles_search_content").fetchall()
    for article_id, headline, body, quotes in rows:
        index_article(conn, article_id, headline, body, quotes)
    return len(rows)


def _column_filter(token: str) -> str:
    """`headline:` → `headline_stem:`, `{headline body}:` → `{headline_stem body_stem}:` (names in any
    case); a name that is no column is left for FTS5 to reject."""
    match = _COLUMN_FILTER.fullmatch(token)
    assert match is not None
    names = (match["names"] or match["name"] or "").split()
    if not names:  # `{}:` names no column: left for FTS5 to reject as malformed
        return token
    mapped = [_STEM_COLUMN_OF.get(name.lower(), name) for name in names]
    spec = mapped[0] if match["name"] else "{" + " ".join(mapped) + "}"
    return f"{match['minus']}{spec}:"


def _prefix(word: str, alone: bool) -> str:
    """A prefix term: stems that begin with the letters, and, where the letters spell a whole word form
    (`выборы*`), every form of that word too, so a prefix never finds less than the word does. Inside
    NEAR( ), next to `^` or `+`, FTS5 takes one phrase only, so there it is the stem prefix alone."""
    folded = _fold(word)
    stem = stem_words([word])[0]
    if not alone or stem == folded:
        return folded + "*"
    return f"({folded}* OR {stem})"


def _punctuation(token: str, near: bool) -> str:
    """Syntax characters stay; a comma only inside NEAR( ), where it sets the distance. A colon that is
    not part of a column filter (`16:16`, `итоги:`) separates words."""
    token = token.replace(":", " ")
    return token if near else token.replace(",", " ")


def _rewrite(tokens: list[str]) -> str:
    out: list[str] = []
    near = False  # inside NEAR( … )
    for index, token in enumerate(tokens):
        if token.startswith('"'):
            closed = len(token) > 1 and token.endswith('"')
            inner = token[1:-1] if closed else token[1:]
            out.append('"' + " ".join(stem_words(WORD.findall(inner))) + ('"' if closed else ""))
        elif _COLUMN_FILTER.fullmatch(token):
            out.append(_column_filter(token))
        elif WORD.match(token):
            word = token.rstrip("*")
            if word in _OPERATORS:
                out.append(word)
                near = near or (word == "NEAR" and "".join(tokens[index + 1 : index + 2]).lstrip().startswith("("))
            elif token.endswith("*"):
                before = "".join(out).rstrip()
                after = "".join(tokens[index + 1 : index + 2]).lstrip()
                out.append(_prefix(word, not near and not before.endswith(("^", "+")) and not after.startswith("+")))
            else:
                out.append(stem_words([word])[0])
        elif token.isspace() or all(ch in "(){}+^*:, \t\r\n" for ch in token):
            out.append(_punctuation(token, near))
            if near and ")" in token:
                near = False
        else:
            out.append(" ")
    return "".join(out).strip()


def build_match_query(query: str) -> str:
    """Turn a researcher's query into an FTS5 MATCH expression over the stem columns.

    FTS5 syntax is kept (AND, OR, NOT, NEAR, "phrases", prefix*, parentheses, `headline:` filters);
    every word is replaced by its stem, other punctuation separates words.

    Raises:
        InputError: the query has no words at all.
    """
    query = query.translate(_INVISIBLE_IN_WORDS)
    if not WORD.search(query):
        raise InputError(f"search query {query!r} has no words to search for")
    rewritten = _rewrite(_QUERY_TOKEN.findall(query))
    return "{" + " ".join(STEM_COLUMNS) + "} : (" + rewritten + ")"
