"""``pressclub start-site``: a new production site's front page and sections, with no demo accounts."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from pressclub.news.models import HomePage, SectionPage


def _start(*args) -> str:
    out = StringIO()
    call_command("start_site", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_start_site_replaces_the_welcome_page_and_makes_sections(client):
    assert Page.objects.filter(depth=2).get().specific_class is Page  # Wagtail's welcome page
    output = _start("Hill Town News", "--address", "news.example.org:443", "--section", "News", "--section", "खेलकुद")
    assert output == (
        "Created: Front page “Hill Town News” at /\n"
        "Created: Site address news.example.org:443\n"
        "Created: Section “News” at /news/\n"
        "Created: Section “खेलकुद” at /खेलकुद/\n"
    )
    home = HomePage.objects.get()
    site = Site.objects.get()
    assert (site.hostname, site.port, site.root_page_id, site.is_default_site, site.site_name) == (
        "news.example.org", 443, home.pk, True, "Hill Town News"
    )
    assert list(Page.objects.filter(depth=2)) == [home.page_ptr]
    assert [(s.title, s.live) for s in SectionPage.objects.child_of(home).order_by("path")] == [("News", True), ("खेलकुद", True)]
    assert get_user_model().objects.count() == 0
    response = client.get("/news/", HTTP_HOST="news.example.org:443")
    assert response.status_code == 200
    assert _start("Hill Town News", "--section", "News") == "Nothing to create: the site has its front page and these sections.\n"
    assert SectionPage.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["  "], "The site needs a name."),
        (["News", "--section", " "], "A section needs a title."),
        (["News", "--address", "http://"], "'http://' is not an address: give a host name, or host:port (news.example.org:443)."),
        (["News", "--address", "news.example.org:99999"], "'news.example.org:99999' is not an address: give a host name, or host:port (news.example.org:443)."),
    ],
)
def test_start_site_refuses_bad_input_with_a_message(args, message):
    with pytest.raises(CommandError) as caught:
        _start(*args)
    assert str(caught.value) == message
