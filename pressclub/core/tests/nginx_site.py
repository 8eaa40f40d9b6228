"""Build the small site the nginx test serves; run in ``pressclub shell`` under the production settings.

``build(port)`` writes a front page at ``127.0.0.1:<port>``, a section, a story with a lead image,
a member and a pending comment by her, and prints one JSON line: the story's path, the pending
comment's id and the member's session cookie value.
"""

import io
import json

from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from pressclub.testing import factories


def build(port: int) -> None:
    """Build the site and print ``{"story": path, "comment": id, "session": value}``."""
    home = factories.build_home_page()
    Site.objects.update(hostname="127.0.0.1", port=port)
    section = factories.add_section(home)
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (40, 90, 160)).save(buffer, format="JPEG")
    image = get_image_model().objects.create(
        title="Seti river", file=ImageFile(io.BytesIO(buffer.getvalue()), name="seti.jpg")
    )
    story = factories.publish_footbridge_story(section, factories.create_author())
    story.lead_image = image
    story.save_revision().publish()
    member = factories.create_user("sunita@example.org", "Sunita Rai", membership="active")
    comment = factories.create_comment(story, user=member, body="The bridge will save us an hour.",
                                       status="pending")
    client = Client()
    client.force_login(member)
    print(json.dumps({"story": story.url, "comment": comment.pk, "session": client.cookies["sessionid"].value}))


def approve(comment_id: int) -> None:
    """Approve the comment ``comment_id`` as an editor would, through the moderation service."""
    from django.core.management import call_command

    from pressclub.comments.models import Comment
    from pressclub.comments.services import comment_approve

    moderator = factories.create_user("desk@example.org", "News Desk", is_staff=True, groups=["Moderators"])
    comment_approve(comment=Comment.objects.get(pk=comment_id), moderator=moderator)
    # Wagtail purges the front-end cache in a task: the worker runs it, as beside `pressclub serve`.
    call_command("worker", batch=True, verbosity=0)
