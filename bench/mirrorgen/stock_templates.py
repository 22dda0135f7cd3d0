"""Renders article pages in DataLife Engine's stock templates: DLE 10 "Default", DLE 14 and the print
version.

The portal's hosts have run different DLE versions over the years, and any of them may still serve an
old template; an extractor that only knows the portal's own template would silently lose those
articles. These renderers follow the stock `fullstory.tpl` / `print.tpl` layouts: the story container,
its info line and the blocks stock templates put inside the story (tags, editor's note, share buttons,
related news), none of which is article text.
"""

# The templates are HTML kept one element per line, as the portal serves it.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Sequence

from .portal_template import HOME, MENU, calendar_html, e, tag_url


def _menu(home: str) -> str:
    return "".join(f'<li><a href="{home}/{category}/">{name}</a></li>' for category, name in MENU)


def dle10_page(
    *,
    headline: str,
    date_text: str,
    text_html: str,
    category_name: str,
    category: str,
    print_url: str,
    tags: Sequence[str] = (),
    editor_note: str | None = None,
    popular: Sequence[tuple[str, str]] = (),
    calendar: str | None = None,
    home: str = HOME,
    views: int = 0,
) -> str:
    """A full-story page in DLE 10's stock "Default" template (XHTML, `div.base.fullstory`).

    The date sits in the info line (`Автор: … от <span class="date">…</span>`); the editor's note and
    the tags line sit inside `div.maincont` after the text, as the stock template puts them.
    `popular` is the left column's "Популярные новости" list (title, url), which has no times.
    """
    tags_html = ""
    if tags:
        links = ", ".join(f'<a href="{tag_url(tag, home=home)}">{e(tag)}</a>' for tag in tags)
        tags_html = f'<p class="basetags"><br /><i>Теги: {links}</i></p>'
    note_html = f'<p class="editdate"><br /><i>{editor_note}</i></p>' if editor_note else ""
    popular_html = "".join(f'<li><a href="{e(url)}">{e(title)}</a></li>' for title, url in popular)
    archive = calendar if calendar is not None else calendar_html(home=home)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{e(headline)} &raquo; Выбор народа</title>
<meta name="description" content="{e(headline)}" />
<meta name="generator" content="DataLife Engine (http://dle-news.ru)" />
<link rel="search" type="application/opensearchdescription+xml" href="{home}/engine/opensearch.php" title="Выбор народа" />
<link rel="alternate" type="application/rss+xml" title="Выбор народа" href="{home}/rss.xml" />
<script type="text/javascript" src="/engine/classes/js/jquery.js"></script>
<script type="text/javascript" src="/engine/classes/js/dle_js.js"></script>
<link media="screen" href="/templates/Default/style/styles.css" type="text/css" rel="stylesheet" />
<link media="screen" href="/templates/Default/style/engine.css" type="text/css" rel="stylesheet" />
</head>
<body>
<div id="loading-layer" style="display:none">Загрузка. Пожалуйста, подождите...</div>
<script type="text/javascript">
<!--
var dle_root       = '/';
var dle_admin      = '';
var dle_login_hash = '';
var dle_group      = 5;
var dle_skin       = 'Default';
var dle_wysiwyg    = '0';
var quick_wysiwyg  = '0';
var dle_act_lang   = ["Да", "Нет", "Ввод", "Отмена", "Сохранить", "Удалить"];
//-->
</script>
<div class="wwide pagebg">
<div class="headbg"><div class="wwide headpic"><div class="wrapper">
<h1><a class="thide" href="{home}/" title="Выбор народа">Выбор народа</a></h1>
<div class="headlinks"><ul class="reset">{_menu(home)}</ul></div>
<form action="" name="searchform" method="post"><input type="hidden" name="do" value="search" /><input type="hidden" name="subaction" value="search" />
<ul class="searchbar reset"><li class="lfield"><input id="story" name="story" value="Поиск..." type="text" /></li><li class="lbtn"><input title="Найти" alt="Найти" type="image" src="/templates/Default/images/spacer.gif" /></li></ul></form>
</div></div></div>
<div class="wrapper"><div class="container">
<div class="vsep"><div class="vsep">
<div id="midside" class="rcol">
<div class="speedbar"><span id="dle-speedbar"><a href="{home}/">Выбор народа</a> &raquo; <a href="{home}/{category}/">{e(category_name)}</a> &raquo; {e(headline)}</span></div>
<div id='dle-content'><div class="base fullstory">
<div class="dpad">
<h3 class="btl"><span id="news-title">{e(headline)}</span></h3>
<div class="bhinfo">
<ul class="isicons reset">
<li><a href="{e(print_url)}" rel="nofollow"><img src="/templates/Default/dleimages/printer.png" title="Распечатать" alt="Распечатать" /></a></li>
</ul>
<span class="baseinfo radial">Автор: <a onclick="ShowProfile('redaktor', '{home}/user/redaktor/', '0'); return false;" href="{home}/user/redaktor/">redaktor</a> от <span class="date">{date_text}</span></span>
<div class="ratebox"><div class="rate"><div class="rating"><ul class="unit-rating"><li class="current-rating" style="width:0%;">0</li></ul></div></div></div>
<div class="clr"></div>
</div>
<div class="maincont">
{text_html}
<div class="clr"></div>
{note_html}
{tags_html}
</div>
</div>
<div class="mlink"><span class="argback"><a href="javascript:history.go(-1)"><b>Вернуться назад</b></a></span>
<ul class="isicons reset"><li class="lcomm">Комментариев: 0</li><li class="lviews">Просмотров: {views}</li></ul>
<p class="lcol argcat">Категория: <a href="{home}/{category}/">{e(category_name)}</a></p></div>
</div>
<div class="berrors">Уважаемый посетитель, Вы зашли на сайт как незарегистрированный пользователь.<br />
Мы рекомендуем Вам <a href="{home}/index.php?do=register">зарегистрироваться</a> либо войти на сайт под своим именем.</div>
</div>
</div>
<div id="sidebar" class="lcol">
<div id="news-arch" class="block"><div class="dtop"><span><b>Архив новостей</b></span></div>
<div class="dcont">{archive}</div></div>
<div id="popular" class="block"><div class="dtop"><span><b>Популярные новости</b></span></div>
<div class="dcont"><ul>{popular_html}</ul></div></div>
<div id="vote" class="block"><div class="dtop"><span><b>Опрос</b></span></div>
<div class="dcont"><form method="post" name="vote" action=""><div class="vtitle">Пойдете ли вы на выборы в 2026 году?</div>
<div class="vvote"><input name="vote_check" type="radio" value="0" /> Да</div><div class="vvote"><input name="vote_check" type="radio" value="1" /> Нет</div>
<input type="hidden" name="vote_action" value="vote" /><input type="submit" value="Голосовать" /></form></div></div>
</div>
</div></div>
</div></div>
<div class="footbox"><div class="wrapper"><span class="copyright">Copyright &copy; 2004-2025 Выбор народа</span></div></div>
</div>
</body>
</html>
"""


def dle14_page(
    *,
    headline: str,
    date_text: str,
    datetime_attr: str,
    day_archive_url: str,
    text_html: str,
    category_name: str,
    category: str,
    canonical: str,
    print_url: str,
    tags: Sequence[str] = (),
    related: Sequence[tuple[str, str]] = (),
    popular: Sequence[tuple[str, str]] = (),
    og_image: str | None = None,
    home: str = HOME,
) -> str:
    """A full-story page in DLE 14's stock template (`article.story.fullstory`, `h1.title`, `time.date`).

    Share buttons and the print link sit in the story's tool bar, tags in `div.tags_box`; `related`
    ("Похожие новости") and `popular` are (title, url) lists without times, so the page has no news feed.
    """
    tags_html = ""
    if tags:
        links = ", ".join(f'<a href="{tag_url(tag, home=home)}">{e(tag)}</a>' for tag in tags)
        tags_html = f'<div class="tags_box"><svg class="icon icon-tags"><use xlink:href="#icon-tags"></use></svg><div class="tags">{links}</div></div>'
    related_html = "".join(f'<li><a href="{e(url)}">{e(title)}</a></li>' for title, url in related)
    popular_html = "".join(f'<li><a href="{e(url)}">{e(title)}</a></li>' for title, url in popular)
    og = f'\n<meta property="og:image" content="{e(og_image)}">' if og_image else ""
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{e(headline)} » Выбор народа</title>
<meta name="description" content="{e(headline)}">
<meta name="generator" content="DataLife Engine (https://dle-news.ru)">
<meta property="og:site_name" content="Выбор народа">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(headline)}">
<meta property="og:url" content="{e(canonical)}">{og}
<link rel="search" type="application/opensearchdescription+xml" title="Выбор народа" href="{home}/index.php?do=opensearch">
<link rel="canonical" href="{e(canonical)}">
<link rel="alternate" type="application/rss+xml" title="Выбор народа RSS" href="{home}/rss.xml">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link href="/templates/Default/css/styles.css" type="text/css" rel="stylesheet">
<link href="/templates/Default/css/engine.css" type="text/css" rel="stylesheet">
</head>
<body>
<div class="page">
<header class="header"><div class="wrp">
<a class="logo" href="{home}/" title="Выбор народа"><img src="/templates/Default/images/logo.svg" alt="Выбор народа"></a>
<nav id="topmenu" class="topmenu"><ul>{_menu(home)}</ul></nav>
<form class="q_search" method="post"><input id="story" name="story" placeholder="Поиск по сайту..." type="search">
<button class="q_search_btn" type="submit" title="Найти"><span class="title_hide">Найти</span></button>
<input type="hidden" name="do" value="search"><input type="hidden" name="subaction" value="search"></form>
</div></header>
<div class="cols wrp">
<main id="content" class="content">
<div class="speedbar"><span id="dle-speedbar"><a href="{home}/">Выбор народа</a> » <a href="{home}/{category}/">{e(category_name)}</a> » {e(headline)}</span></div>
<div id='dle-content'><article class="box story fullstory">
<div class="wrp">
<div class="head grey">
<time class="date" datetime="{datetime_attr}"><a href="{e(day_archive_url)}">{date_text}</a></time>
<ul class="meta grey">
<li class="meta_author"><svg class="icon icon-author"><use xlink:href="#icon-author"></use></svg>Автор: <a href="{home}/user/redaktor/">redaktor</a></li>
<li class="meta_views"><svg class="icon icon-views"><use xlink:href="#icon-views"></use></svg>1 245</li>
</ul>
</div>
<h1 class="title">{e(headline)}</h1>
<div class="text">
{text_html}
</div>
{tags_html}
</div>
<div class="story_tools ignore-select">
<div class="share_box"><span class="share_title">Поделиться:</span>
<a class="share_vk" href="https://vk.com/share.php?url={e(canonical)}" target="_blank" rel="nofollow">ВКонтакте</a>
<a class="share_ok" href="https://connect.ok.ru/offer?url={e(canonical)}" target="_blank" rel="nofollow">Одноклассники</a>
<a class="share_tg" href="https://t.me/share/url?url={e(canonical)}" target="_blank" rel="nofollow">Telegram</a></div>
<a href="{e(print_url)}" rel="nofollow" class="print_btn">Версия для печати</a>
</div>
</article>
<div class="block story related"><div class="wrp"><h4 class="title">Похожие новости</h4>
<ul class="related_list">{related_html}</ul></div></div>
<div class="block comments_add"><div class="wrp"><h4 class="title">Добавить комментарий</h4>
<form method="post" name="dle-comments-form" id="dle-comments-form">
<div class="form_row"><input placeholder="Ваше имя" type="text" name="name" id="name" required></div>
<div class="form_row"><textarea name="comments" id="comments" rows="6"></textarea></div>
<div class="form_row"><span id="dle-question">Сколько будет 7 плюс 5?</span><input type="text" name="question_answer" id="question_answer"></div>
<button class="btn" type="submit" name="submit">Отправить</button>
<input type="hidden" name="subaction" value="addcomment"></form></div></div>
</div>
</main>
<aside class="sidebar">
<div class="block"><h4 class="block_title">Популярное</h4><ul class="popular_list">{popular_html}</ul></div>
</aside>
</div>
<footer class="footer"><div class="wrp"><div class="copyright">© 2025 Выбор народа. Работает на DataLife Engine</div></div></footer>
</div>
</body>
</html>
"""


def print_page(
    *,
    headline: str,
    date_text: str,
    text_html: str,
    category_name: str,
    category: str,
    full_link: str,
    home: str = HOME,
) -> str:
    """An article's print version in DLE's stock `print.tpl`: title, date line, text, link back.

    The date is plain text in the "Новость от: …" line, followed by the category; the page has no
    image block, tags, feed or canonical link.
    """
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{e(headline)} &raquo; Версия для печати &raquo; Выбор народа</title>
<meta name="generator" content="DataLife Engine (http://dle-news.ru)" />
<meta name="robots" content="noindex,nofollow" />
<style type="text/css" media="all">@import url(/templates/vybor/style/print.css);</style>
</head>
<body>
<div id="print-head">Версия для печати &raquo; <a href="javascript:window.print()">Распечатать</a></div>
<div id="print-content">
<h1>{e(headline)}</h1><br />
<small>Новость от: {date_text}, Категория: <a href="{home}/{category}/">{e(category_name)}</a></small>
<div id="print-text">
{text_html}
</div>
<br />
</div>
<div id="print-footer">Ссылка на материал: <a href="{e(full_link)}">{e(full_link)}</a></div>
</body>
</html>
"""
