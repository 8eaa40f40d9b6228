"""The reader theme's form styles: full-width 16 px fields, clear buttons, errors unlike help text."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from lxml import html as lxml_html

CSS = Path(settings.PROJECT_DIR) / "static" / "css" / "site.css"


def rules() -> dict[str, dict[str, str]]:
    """Return site.css as {selector: {property: value}}, comments removed, later rules winning."""
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (d.partition(":") for d in body.split(";") if d.strip())
        )
        for selector in selectors.split(","):
            found.setdefault(selector.strip(), {}).update(declarations)
    return found


def test_site_css_stays_small():
    # What readers download: the stylesheet as collectstatic ships it (minified, comments gone).
    from pressclub.core.static_storage import css_minify

    assert len(css_minify(CSS.read_text(encoding="utf-8")).encode()) <= 8 * 1024


def test_fields_are_full_width_with_the_bodys_17px_text():
    css = rules()
    # Under 16 px, phone browsers zoom into a focused field.
    assert css["body"]["font"].startswith("1.0625rem/")
    for selector in ("main input:not([type=checkbox]):not([type=radio])", "main textarea", "main select"):
        assert css[selector]["width"] == "100%", selector
        assert css[selector]["font"] == "inherit", selector
    assert css[".field label"]["display"] == "block"


def test_buttons_are_large_and_filled():
    button = rules()["main button"]
    assert button["font"] == "inherit"
    assert button["min-height"] == "2.75rem"
    assert button["background"] == "var(--accent)" and button["color"] == "#fff"
    assert rules()[":focus-visible"]["outline"] == "3px solid #c60"


def test_errors_look_unlike_help_text():
    css = rules()
    assert css[".errorlist"]["color"] == "#8b0000"
    assert css[".errorlist"]["border-left"] == "4px solid #b00020"
    assert css[".errorlist li::before"]["content"] == '"Error: "'
    assert css[".helptext"]["color"] == "var(--muted)"


@pytest.mark.django_db
def test_signup_errors_are_linked_to_their_field(client, home_page, member):
    """An address error is tied to its field for screen readers.

    This used the refusal of a registered address, with links to sign in and to reset; that refusal
    told strangers who has an account, and privacy wins: a second sign-up now looks like a first and
    its owner is e-mailed (members/tests/test_accounts.py). An address we cannot deliver to is used.
    """
    response = client.post(
        "/accounts/signup/", {"email": "ñandú@example.org", "display_name": "Asha Tamang", "password1": "x", "password2": "x"}
    )
    doc = lxml_html.fromstring(response.content)
    (email_errors,) = doc.xpath("//ul[@id='id_email_error']")
    assert email_errors.get("class") == "errorlist"
    assert email_errors.text_content() == (
        "Use an address whose part before the @ has only Latin letters, digits and . _ - + "
        "(we cannot deliver mail to other characters there). The domain after the @ may be in any script."
    )
    assert doc.xpath("//input[@id='id_email']/@aria-describedby") == ["id_email_error"]
    assert doc.xpath("//input[@id='id_email']/@aria-invalid") == ["true"]
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["/static/css/site.css"]
