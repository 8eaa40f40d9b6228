
from pressclub.comments.tests.test_browser import *  # noqa
from pressclub.comments.tests.test_moderation_admin import make_comment


def test_look(chromium, live_server, article, editor, member):
    from pressclub.comments.models import CommentStatus
    make_comment(article, user=member, body="First pending *comment*\n\nwith two paragraphs", minutes=1, hold_reason="first comment")
    make_comment(article, name="<img src=x onerror=alert(1)>", body="<script>alert(1)</script>", minutes=2, flag_count=3)
    make_comment(article, name="Guest", body="approved", minutes=3, status=CommentStatus.APPROVED)
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    sign_in_admin(p, live_server.url, "desk@example.org")
    p.goto(f"{live_server.url}/admin/comments/")
    p.screenshot(path="/tmp/queue.png", full_page=True)
    p.goto(f"{live_server.url}/admin/")
    p.screenshot(path="/tmp/dash.png", full_page=True)
