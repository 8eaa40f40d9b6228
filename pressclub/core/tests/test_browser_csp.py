"""No Content-Security-Policy violation in Debian's chromium, on reader pages and in the admin.

Reader pages: a story with an embedded YouTube video, a Blogger-imported post whose images stay
on their original hosts, and its comment form, whose reply opener (a static script) must still
move the form under the comment answered. The admin: the page editor opens, shows its preview
panel and saves a draft. Every request that leaves the live server is answered by the test (a
stand-in player, a 1×1 image) or refused: nothing reaches the network.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 20_000
# A Blogger export (legacy Atom backup), hand-written: one post with two images left on their
# hosts (Blogger's own, over http, which the import moves to https; and another site's) and one
# comment to reply to.
EXPORT = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<id>tag:blogger.com,1999:blog-7.archive</id><updated>2015-05-02T10:00:00.000+05:45</updated>
<title type='text'>Hill Notes</title>
<entry><id>tag:blogger.com,1999:blog-7.post-71</id><published>2015-05-01T09:00:00.000+05:45</published>
<updated>2015-05-01T09:00:00.000+05:45</updated>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<title type='text'>Landslide clears from the ridge road</title>
<content type='html'>&lt;p&gt;Crews reopened the road on Friday.&lt;/p&gt;&lt;p&gt;&lt;img src="http://1.bp.blogspot.com/ridge-road.jpg" alt="The ridge road" width="640" height="480"&gt;&lt;/p&gt;&lt;p&gt;&lt;img src="https://photos.example.net/crews.jpg" alt="Road crews"&gt;&lt;/p&gt;</content>
<link rel='alternate' type='text/html' href='http://hillnotes.blogspot.com/2015/05/ridge-road.html' title='Landslide clears from the ridge road'/>
<author><name>Mina Rai</name></author></entry>
<entry><id>tag:blogger.com,1999:blog-7.post-72</id><published>2015-05-01T12:00:00.000+05:45</published>
<updated>2015-05-01T12:00:00.000+05:45</updated>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
<title type='text'>Good to hear</title><content type='html'>Good to hear, the buses run again.</content>
<link rel='alternate' type='text/html' href='http://hillnotes.blogspot.com/2015/05/ridge-road.html?showComment=1#c72' title=''/>
<author><name>Ram Thapa</name></author>
<thr:in-reply-to href='http://hillnotes.blogspot.com/2015/05/ridge-road.html' ref='tag:blogger.com,1999:blog-7.post-71' type='text/html'/>
</entry></feed>"""

# Logs every violation to the console, where the test collects it with chromium's own reports.
REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation', e => console.error(
  'CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));"""


def png() -> bytes:
    """Return a 1×1 PNG, the stand-in for every remote image."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), "gray").save(buffer, "PNG")
    return buffer.getvalue()


def browser_context(chromium, live_server, user=None):
    """Return a Playwright context signed in as ``user`` (a Django session cookie), routing every
    request that is not for the live server to a stand-in, and a list that collects violations."""
    context = chromium.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    image = png()

    def route(route):
        url = route.request.url
        if url.startswith(live_server.url):
            return route.continue_()
        if url.startswith(("https://www.youtube.com/", "https://player.vimeo.com/")):
            return route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Player</title><p>Player")
        if route.request.resource_type == "image":
            return route.fulfill(status=200, content_type="image/png", body=image)
        return route.abort()

    context.route("**/*", route)
    context.add_init_script(REPORT_VIOLATIONS)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            violations.append(message.text)

    context.on("console", on_console)
    return context, violations



def test_no_csp_violation_on_reader_pages_or_in_the_page_editor(chromium, live_server, ground, home_page, article,
                                                                 member):
    from pressclub.core.tests.test_security_headers import youtube_embed
    from pressclub.importers.services import blogger_import
    from pressclub.members.models import Membership
    from pressclub.news.models import ArticlePage

    article.body = [("embed", youtube_embed()), ("paragraph", "<p>The council met after the video.</p>")]
    article.save_revision().publish()
    report = blogger_import(source=EXPORT)
    assert (report.created, report.comments_created) == (1, 1)
    post = ArticlePage.objects.get(title="Landslide clears from the ridge road")
    Membership.objects.create(user=member, status="active")
    editor = get_user_model().objects.create_superuser(email="chief@example.org", password="correct horse 42")

    context, violations = browser_context(chromium, live_server, member)
    page = context.new_page()
    page.goto(live_server.url + article.url)
    frame = page.locator(".responsive-object iframe")
    assert frame.get_attribute("src") == "https://www.youtube.com/embed/abc123?feature=oembed"
    box = frame.bounding_box()
    assert round(box["width"] / box["height"], 2) == 1.78  # 16:9 from the class, not an inline style

    page.goto(live_server.url + post.url)
    sizes = page.eval_on_selector_all(".body img", "imgs => imgs.map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert sizes == [["https://1.bp.blogspot.com/ridge-road.jpg", 1], ["https://photos.example.net/crews.jpg", 1]]
    before = page.url
    page.locator('#comments a[href^="?replyto="]').first.click()
    form = page.locator("#comments .comment-form")
    assert page.url == before  # the opener moved the form; no reload
    assert form.evaluate("f => f.closest('li') !== null && f.elements.parent.value") == str(post.reader_comments.get().pk)
    context.close()
    assert violations == []

    context, violations = browser_context(chromium, live_server, editor)
    admin = context.new_page()
    admin.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    admin.wait_for_load_state("networkidle")
    admin.get_by_role("button", name="Toggle preview").click()
    admin.wait_for_load_state("networkidle")
    admin.fill("#id_title", "Council approves the footbridge")
    admin.get_by_role("button", name="Save draft").click()
    admin.wait_for_load_state("networkidle")
    assert "has been updated" in admin.locator(".messages").inner_text()
    context.close()
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision().content["title"] == "Council approves the footbridge"
    assert violations == []
