"""Renders an HTML page to the lines a reader's browser shows (a test aid for the mirror's fidelity).

Block elements start new lines, table cells run on within their row, hidden elements, form controls,
scripts and the head are not shown; `&nbsp;` stays a no-break space (HTML whitespace folding does not eat it).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
    ]
)
HIDDEN_TAGS = frozenset(
    ["head", "script", "style", "noscript", "template", "input", "select", "textarea", "button", "img", "svg", "iframe"]
)
_FOLD = re.compile(r"[ \t\r\n\f]+")


def _is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style


def visible_lines(html: str) -> list[str]:
    """The page's non-blank visible lines, each stripped at both ends."""
    tree = LexborHTMLParser(html)
    out: list[str] = []

    def walk(node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                out.append(_FOLD.sub(" ", child.text_content or ""))
            elif tag == "br":
                out.append("\n")
            elif tag in HIDDEN_TAGS or tag == "-comment" or _is_hidden(child):
                continue
            elif tag in BLOCK_TAGS:
                out.append("\n")
                walk(child)
                out.append("\n")
            else:
                walk(child)

    if tree.body is not None:
        walk(tree.body)
    text = "".join(out)
    return [line.strip(" ") for line in text.split("\n") if line.strip()]
