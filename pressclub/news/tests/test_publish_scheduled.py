"""``publish_scheduled`` says which pages it published or unpublished, and nothing when none was due."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from pressclub.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def test_publish_scheduled_names_what_it_published(section):
    assert run() == ""
    page = ArticlePage(title="Night bus service resumes", go_live_at=timezone.now() + dt.timedelta(hours=1))
    section.add_child(instance=page)
    page.save_revision().publish()
    assert run() == ""  # scheduled, not yet due
    revision = Revision.page_revisions.get(object_id=str(page.pk), approved_go_live_at__isnull=False)
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    assert run() == "Published “Night bus service resumes” (http://localhost/local/night-bus-service-resumes/)\n"
    assert run() == ""


def test_publish_scheduled_names_what_expired(article):
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - dt.timedelta(minutes=1))
    assert run() == f"Unpublished “{article.title}” (http://localhost{article.url}): its expiry time has passed\n"
    assert ArticlePage.objects.get(pk=article.pk).live is False
