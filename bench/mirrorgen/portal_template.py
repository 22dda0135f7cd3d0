"""Renders pages in the portal's own DLE template (the mirror's markup)."""
import html
from translit import slug

HOME = "http://2018.vybor-naroda.org"

SIDEBAR = [
("В Приморском крае построят новые объекты энергетики","16:45"),
("Инвестиционный портфель Республики Коми достиг 700 млрд рублей","16:25"),
("Вице-президент США выступал против операции в Иране","15:38"),
("Военкоры остро отреагировали на возрождение таксофонов на улицах городов","15:14"),
("Чувашия ввела в эксплуатацию более 820 тысяч квадратных метров жилья","15:06"),
("Агентство по привлечению инвестиций Кубани возглавила Епифанцева","14:44"),
("Курские родители-студенты получат 200 тысяч при рождении ребенка","14:32"),
("Валерий Фадеев - восьмой выпуск авторской программы «Земля будущего»","14:06"),
("В Нижегородской области «Единая Россия» дала старт праймериз","13:50"),
("В Приморском крае стартовали форумы «Единой России»","13:01"),
("В Курске состоялась презентация мастер-плана развития города","12:41"),
("ОП РФ поделилась опытом с коллегами из Абхазии","12:29"),
("В Казахстане пройдет референдум по новой Конституции","12:19"),
("Трамп заявил, что его больше не интересует получение Нобелевской премии","12:02"),
("Восемь регионов определились с представительством в 9-ом составе ОП РФ","11:43"),
("Московские коммунисты разъяснили, зачем КПРФ участвует в выборах","11:19"),
("В Петербурге хотят провести референдум против реновации хрущевок","11:01"),
("КПРФ во многом опирается на историческую память","10:52"),
("Сделка, о которой говорят шепотом","10:48"),
("Гонка технологических суверенитетов","10:28"),
("Власти Кубы сообщили, что ведут переговоры с США","23:00"),
("Чечня подготовит 12 тысяч наблюдателей к выборам в ЕДГ-2026","22:48"),
("Дальневосточный морской конгресс пройдет в Приморье","22:36"),
("Национальная независимая партия победила на выборах в Непале","22:24"),
("Мирошник об отказе Трампа Зеленскому: Шарик самопиара лопнул","22:12"),
("Ямальский нефтегазовый форум проходит в Новом Уренгое","22:11"),
("Минюст РФ пополнил реестр иностранных агентов","22:00"),
("Кострома может внести весомый вклад в развитие водного туризма","21:48"),
]
SIDEBAR_FIRST_ID = 303190

def e(s): return html.escape(s, quote=True)

def sidebar_html(items=SIDEBAR, first_id=SIDEBAR_FIRST_ID):
    out = []
    for i, (title, t) in enumerate(items):
        url = f"{HOME}/lentanovostey/{first_id - i}-{slug(title)}.html"
        out.append(f'<a class="lenta-item" href="{url}"><span class="lenta-title">{e(title)}</span><span class="lenta-time">{t}</span></a>')
    return "".join(out)

MENU = [("lentanovostey","Лента новостей"),("politika","Политика"),("ekonomika","Экономика"),("vybory","Выборы"),("obschestvo","Общество")]

def calendar_html(year=2026, month=3, active_days=range(1,6), prev="2026/02/"):
    import calendar as cal
    names = ["Январь","Февраль","Март","Апрель","Май","Июнь","Июль","Август","Сентябрь","Октябрь","Ноябрь","Декабрь"]
    rows = []
    rows.append(f'<tr><th colspan="7" class="monthselect"><a class="monthlink" onclick="doCalendar(\'{prev[5:7]}\',\'{prev[:4]}\',\'right\'); return false;" href="{HOME}/{prev}" title="Предыдущий месяц">&laquo;</a>&nbsp;&nbsp;&nbsp;&nbsp;{names[month-1]} {year}&nbsp;&nbsp;&nbsp;&nbsp;&raquo;</th></tr>')
    rows.append('<tr class="daynames"><th class="workday">Пн</th><th class="workday">Вт</th><th class="workday">Ср</th><th class="workday">Чт</th><th class="workday">Пт</th><th class="weekday">Сб</th><th class="weekday">Вс</th></tr>')
    weeks = cal.Calendar(0).monthdayscalendar(year, month)
    for w in weeks:
        cells = []
        lead = 0
        while lead < 7 and w[lead] == 0: lead += 1
        trail = 0
        while trail < 7 and w[6-trail] == 0: trail += 1
        if lead: cells.append(f'<td colspan="{lead}">&nbsp;</td>')
        for idx, d in enumerate(w):
            if d == 0: continue
            cls = "weekday" if idx >= 5 else "day"
            if d in active_days:
                cells.append(f'<td class="{cls} day-active"><a class="day-active" href="{HOME}/{year}/{month:02d}/{d:02d}/" title="Все публикации за {d:02d} {names[month-1].lower()} {year}">{d}</a></td>')
            else:
                cells.append(f'<td class="{cls}">{d}</td>')
        if trail: cells.append(f'<td colspan="{trail}"></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<div id="calendar-layer"><table id="calendar" class="calendar">' + "\n".join(rows) + "</table></div>"

def page(*, title, main_html, canonical=None, description="", keywords="", og_image=None, charset="utf-8", sidebar=None, calendar=None):
    head_extra = ""
    if canonical:
        head_extra += f'<meta property="og:url" content="{e(canonical)}">\n<link rel="canonical" href="{e(canonical)}">\n'
    if og_image:
        head_extra += f'<meta property="og:image" content="{e(og_image)}">\n'
    menu = "".join(f'<li><a href="{HOME}/{c}/">{n}</a></li>' for c, n in MENU)
    return f'''<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="{charset}">
<title>{e(title)} &raquo; Выбор народа</title>
<meta name="description" content="{e(description)}">
<meta name="keywords" content="{e(keywords)}">
<meta name="generator" content="DataLife Engine (http://dle-news.ru)">
<meta property="og:site_name" content="Выбор народа">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(title)}">
{head_extra}<link rel="search" type="application/opensearchdescription+xml" href="{HOME}/index.php?do=opensearch" title="Выбор народа">
<link rel="alternate" type="application/rss+xml" title="Выбор народа" href="{HOME}/rss.xml">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/templates/vybor/css/styles.css" type="text/css">
<script src="/engine/classes/js/jquery.js"></script>
<script src="/engine/classes/js/dle_js.js"></script>
</head>
<body>
<script>
<!--
var dle_root       = '/';
var dle_admin      = '';
var dle_login_hash = '';
var dle_skin       = 'vybor';
var dle_wysiwyg    = '0';
//-->
</script>
<div class="wrapper">
<header class="header">
<div class="header-top"><a class="logo" href="{HOME}/" title="Выбор народа"><img src="/templates/vybor/images/logo.png" alt=""></a>
<div class="header-about">Портал разработан и поддерживается АНО "Центр ПРИСП"</div></div>
<nav class="topmenu"><div class="menu-toggle" onclick="$('.menu-list').toggle();">Меню</div>
<ul class="menu-list" style="display:none">{menu}</ul></nav>
</header>
<div class="columns">
<main class="main-col">
<div id='dle-content'>{main_html}</div>
</main>
<aside class="side-col">
<div class="side-block side-lenta"><div class="lenta">
{sidebar if sidebar is not None else sidebar_html()}
</div></div>
<div class="side-block side-subscribe">
<form method="post" action="{HOME}/index.php?do=feedback" class="subscribe-form">
<div class="form-row"><label for="sub_email">E-mail*:</label><input type="email" name="email" id="sub_email" required></div>
<div class="form-row"><label for="sub_name">ФИО</label><input type="text" name="name" id="sub_name"></div>
<div class="form-row"><label for="sub_phone">Телефон</label><input type="text" name="phone" id="sub_phone"></div>
<div class="form-row"><label for="sub_post">Должность</label><input type="text" name="post" id="sub_post"></div>
<div class="form-row"><span id="dle-question">Сумма 9 и 2 будет</span><input type="text" name="question_answer" id="question_answer"></div>
<input type="hidden" name="send" value="send"><input class="btn" type="submit" value="Подписаться">
</form>
</div>
<div class="side-block side-calendar"><div class="side-title">Архив</div>
{calendar if calendar is not None else calendar_html()}
</div>
</aside>
</div>
</div>
<script>
$(function(){{ $('.lenta-item').attr('target', '_self'); }});
</script>
</body>
</html>
'''

def full_story(*, date_text, headline, image=None, credit_html=None, text_html, print_url=None, tags=None, extra_after_text=""):
    parts = ['<div class="full-story">', f'<div class="full-date">{date_text}</div>', f'<h1 class="full-title">{e(headline)}</h1>']
    if image:
        parts.append(f'<div class="full-img"><img src="{e(image)}" alt="{e(headline)}"></div>')
    if credit_html:
        parts.append(f'<div class="full-img-credit">{credit_html}</div>')
    parts.append(f'<div class="full-text">\n{text_html}\n</div>')
    parts.append(extra_after_text)
    if tags:
        parts.append('<div class="full-tags">Теги: ' + ", ".join(f'<a href="{HOME}/tags/{e(t)}/">{e(t)}</a>' for t in tags) + '</div>')
    if print_url:
        parts.append(f'<div class="full-print"><a class="print-link" href="{e(print_url)}" rel="nofollow">Печать</a></div>')
    parts.append('</div>')
    return "\n".join(p for p in parts if p)

def paras(texts):
    return "\n".join(f"<p>{e(t)}</p>" for t in texts)
