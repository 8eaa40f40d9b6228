"""The page editor in Debian's chromium: a Devanagari title fills the slug with its vowel signs
and virama kept, exactly as the server's slugify would (pressclub.core.text.slugify)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pressclub.core.text import slugify

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "कालिमगाउँमा सामुदायिक पुस्तकालय खुल्यो!"



def test_typing_a_devanagari_title_fills_the_same_slug_as_the_server(chromium, live_server, ground, home_page, section):
    admin = get_user_model().objects.create_superuser(email="desk@example.org", password="x", display_name="Desk")
    client = Client()
    client.force_login(admin)
    context = chromium.new_context()
    context.set_default_timeout(20_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/pages/add/news/articlepage/{section.pk}/")
    page.locator("#id_title").press_sequentially(TITLE)
    page.locator("#id_title").blur()
    expected = slugify(TITLE)
    assert expected == "कालिमगाउँमा-सामुदायिक-पुस्तकालय-खुल्यो"
    page.wait_for_function("(want) => document.querySelector('#id_slug').value === want", arg=expected)
    assert page.locator("#id_slug").input_value() == expected
