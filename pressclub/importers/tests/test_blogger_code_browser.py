"""An imported code post on a 360-px phone, in Debian's chromium: the code scrolls in its own box,
the page does not get wider, and indentation written with Blogger's tab spans keeps its width."""

import pytest

from pressclub.importers.services import blogger_import

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG_LINE = "var total = " + " + ".join(f"item{n}.price" for n in range(40)) + ";"
BODY = (
    "<p>Paste this into your template:</p>"
    f"<pre>function total() {{\n\t{LONG_LINE}\n}}</pre>"
    '<p id="x">if (ready) {<br><span class="Apple-tab-span" style="white-space:pre">\t</span>go();<br>}</p>'
)
EXPORT = (
    "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
    "<id>tag:blogger.com,1999:blog-8.archive</id><updated>2015-05-02T10:00:00.000Z</updated>"
    "<title type='text'>Code Notes</title><entry><id>tag:blogger.com,1999:blog-8.post-81</id>"
    "<published>2015-05-01T09:00:00.000Z</published><updated>2015-05-01T09:00:00.000Z</updated>"
    "<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>"
    "<title type='text'>Adding up prices</title><content type='html'>"
    + BODY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    + "</content><link rel='alternate' type='text/html' href='http://codenotes.blogspot.com/2015/05/prices.html'/>"
    "</entry></feed>"
).encode()



def test_code_scrolls_in_its_box_and_tab_indentation_keeps_its_width(chromium, live_server, ground, home_page):
    blogger_import(source=EXPORT)
    from pressclub.news.models import ArticlePage

    post = ArticlePage.objects.get()
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + post.url)
    widths = page.evaluate("""() => {
        const pre = document.querySelector('.body pre');
        const lines = [...document.querySelectorAll('.body p')].find(p => p.textContent.includes('go();'));
        const range = document.createRange();
        const span = lines.querySelector('span');
        range.selectNodeContents(span);
        return {page: document.documentElement.scrollWidth, pre: pre.scrollWidth, box: pre.clientWidth,
                scroll: getComputedStyle(pre).overflowX, tab: range.getBoundingClientRect().width};
    }""")
    context.close()
    assert widths["page"] == 360
    assert widths["pre"] > 1000 and widths["box"] < 360
    assert widths["scroll"] == "auto"
    assert widths["tab"] > 20  # eight no-break spaces, not one collapsed blank
