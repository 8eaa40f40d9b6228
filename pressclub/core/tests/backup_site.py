"""Build a small site for the backup test, and count what it holds; run in ``pressclub shell``.

``build()`` writes a front page, a section, two stories (one with a lead image and an unpublished
draft after its published revision), a rendition of the image, two members, three comments (two
approved, one pending) and an old-address redirect. ``counts()`` prints one JSON line of what the
database holds and how many image files exist on disk.
"""

import io
import json

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from pressclub.comments.models import Comment
from pressclub.testing import factories


def build() -> None:
    """Build the site described in the module docstring."""
    home = factories.build_home_page()
    section = factories.add_section(home)
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (40, 90, 160)).save(buffer, format="JPEG")
    image = get_image_model().objects.create(
        title="Seti river", file=ImageFile(io.BytesIO(buffer.getvalue()), name="seti.jpg")
    )
    image.get_rendition("fill-320x180")
    author = factories.create_author()
    story = factories.publish_footbridge_story(section, author)
    story.lead_image = image
    story.save_revision().publish()
    story.title = "Council approves new footbridge over the Seti (draft)"
    story.save_revision()
    other = factories.publish_article(section, title="Ward office moves to the old school",
                                      when=factories.utc(2026, 3, 20))
    sunita = factories.create_user("sunita@example.org", "Sunita Rai", membership="active")
    arif = factories.create_user("arif@example.org", "Arif Hossain", membership="active")
    factories.create_comment(story, user=sunita, body="The bridge will save us an hour.")
    factories.create_comment(story, user=arif, body="About time.")
    factories.create_comment(other, user=arif, body="Which school?", status="pending")
    Redirect.objects.create(old_path="/2024/05/footbridge.html", site=Site.objects.get(), redirect_page=story)


def counts() -> None:
    """Print {pages, revisions, images, image_files, renditions, rendition_files, members, comments,
    redirects, headline} as one JSON line; *_files count the files present on disk."""
    images = list(get_image_model().objects.all())
    renditions = [r for image in images for r in image.renditions.all()]
    print(json.dumps({
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": len(images),
        "image_files": sum(image.file.storage.exists(image.file.name) for image in images),
        "renditions": len(renditions),
        "rendition_files": sum(r.file.storage.exists(r.file.name) for r in renditions),
        "members": get_user_model().objects.filter(membership__status="active").count(),
        "comments": Comment.objects.count(),
        "approved": Comment.objects.filter(status="approved").count(),
        "redirects": list(Redirect.objects.values_list("old_path", "redirect_page__url_path")),
        "draft": Page.objects.get(slug="council-approves-new-footbridge-over-the-seti").get_latest_revision().content["title"],
    }))
