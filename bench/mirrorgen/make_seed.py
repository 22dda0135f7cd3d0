import json, sys
sys.path.insert(0, "/tmp/gen")
from portal_template import *
exp = json.load(open("/work/main/tests/fixtures/portal/seed-article.expected.json"))
url = exp["url"]
paths = url.split("/")
print_url = f"{HOME}/lentanovostey/print:page,1,297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
body = exp["body"].split("\n\n")
img = f"{HOME}/uploads/posts/2025-12/1765113371_kurbatov-dnr.jpg"
main = full_story(date_text=exp["published_text"], headline=exp["headline"], image=img,
    credit_html='Фото с сайта:<br><a href="https://xn--80aacoonefzg3am8b1fsb.xn--p1ai/" target="_blank" rel="nofollow noopener">липецкаяобласть.рф</a>',
    text_html=paras(body), print_url=print_url)
html_text = page(title=exp["headline"], main_html=main, canonical=url, description=body[0][:200], keywords="Липецкая область, ДНР, промышленная кооперация, Сергей Курбатов, Игорь Артамонов", og_image=img)
open(sys.argv[1], "w").write(html_text)
