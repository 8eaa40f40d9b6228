"""Build the site the two-server test serves; run in ``pressclub shell`` under its settings.

``build()`` writes a front page, a section, a live story with a pending comment by a member, a
draft story for the desk to schedule, and an editor who may use the admin and moderate; it prints
one JSON line with their addresses and ids (the comment's e-mailed approve link among them).
"""

import json
from urllib.parse import urlsplit

from wagtail.models import Site

from pressclub.comments.tokens import moderation_approve_url
from pressclub.news.models import ArticlePage
from pressclub.testing import factories


def build() -> None:
    """Build the site; print ``{"story", "comment", "approve", "draft", "draft_id", "email", "password"}``."""
    home = factories.build_home_page()
    section = factories.add_section(home)
    story = factories.publish_footbridge_story(section, factories.create_author())
    member = factories.create_user("sunita@example.org", "Sunita Rai", membership="active")
    comment = factories.create_comment(story, user=member, body="The bridge will save us an hour.",
                                       status="pending")
    draft = section.add_child(instance=ArticlePage(
        title="Night bus to Pokhara restored", live=False,
        body=[("paragraph", "<p>The overnight service runs again from Friday.</p>")],
    ))
    draft.save_revision()
    factories.create_user("desk@example.org", "News Desk", is_staff=True, is_superuser=True)
    site = Site.objects.get()
    print(json.dumps({
        "story": story.relative_url(site), "comment": comment.pk,
        "approve": urlsplit(moderation_approve_url(comment)).path,
        "draft": draft.relative_url(site), "draft_id": draft.pk,
        "email": "desk@example.org", "password": factories.PASSWORD,
    }))
