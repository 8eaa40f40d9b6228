"""Wire-story import on page layouts the extractor was not tuned for, and what the draft gets.

Body layouts (text written loose, a body split by advertisements, embedded posts), boilerplate inside
the story's container, bylines from the right places only, outlet and dateline, and the lead image
copied into the image library. Every page is a small hand-written file in ``fixtures/article``; the
lead image is served by a local HTTP server, never fetched from the network.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import lxml.html
import PIL.Image
import pytest
from wagtail.images import get_image_model

from pressclub.importers.article import cleanup, services
from pressclub.importers.article.bylines import read_bylines
from pressclub.importers.article.extract import extract_story
from pressclub.importers.article.outlets import outlet_for_domain, readers_name, split_dateline
from pressclub.importers.models import ImportedItem
from pressclub.importers.tests.conftest import ORIGINAL_FETCH_IMAGE
from pressclub.news.models import ArticlePage

FIXTURES = Path(__file__).parent / "fixtures" / "article"


def story_of(name: str, url: str = "https://news.example.org/story"):
    return extract_story((FIXTURES / name).read_bytes(), source_url=url)


# --- body: layouts ---------------------------------------------------------------------------------


def test_text_written_loose_between_subheadings_is_read_and_the_meta_line_is_not():
    story = story_of("loose_text.html")
    text = [paragraph for index, paragraph in enumerate(story.paragraphs) if index not in story.heading_indexes]
    assert text == [
        "The winter crossing season opens next week, and the ferry owners on the Seti have cut their fares for "
        "the first time in three years, so we looked at every way across the river.",
        "The steel bridge at Dhampus opens on Monday and costs nothing to cross. It carries walkers and motorbikes "
        "but not tractors, and it closes at dusk while the lights are fitted.",
        "The old ferry runs every half hour from dawn and now charges twenty rupees a head, down from thirty. Its "
        "owner says the new bridge will not put him out of work, because the farmers still need to move their "
        "buffaloes across.",
        "The cable car that carries school children over the gorge at Sardikhola has been repaired and runs again "
        "from Sunday. It takes four people at a time, and the operator asks adults to pay ten rupees so that "
        "children can ride free.",
        "For those who would rather keep their feet on the ground, the old trail down to the dam and back up the "
        "far bank still takes two hours, and the tea shop halfway along has reopened after the floods.",
    ]


def test_loose_text_becomes_one_paragraph_per_run_between_blocks_and_blank_lines():
    tree = lxml.html.document_fromstring(
        "<html><body><div>"
        + "Posted on Monday by the desk<br><br>"
        + "First run " * 10
        + "<b>bold</b> end.<h2>Sub</h2>"
        + "Second run " * 10
        + "<br>still second.<p>A paragraph.</p>"
        + "</div></body></html>"
    )
    assert cleanup.wrap_loose_text(tree) == 3
    div = tree.find(".//div")
    assert [child.tag for child in div] == ["p", "br", "br", "p", "h2", "p", "p"]
    assert [" ".join(p.text_content().split()) for p in div.iterchildren("p")] == [
        "Posted on Monday by the desk",
        " ".join(["First", "run"] * 10) + " bold end.",
        " ".join(["Second", "run"] * 10) + " still second.",
        "A paragraph.",
    ]


def test_a_date_line_beside_blocks_is_not_wrapped():
    tree = lxml.html.document_fromstring("<html><body><div>Monday, 3 November<p>A paragraph.</p></div></body></html>")
    assert cleanup.wrap_loose_text(tree) == 0


def test_a_body_split_by_advertisements_is_read_whole_with_its_embedded_post():
    story = story_of("split_body.html")
    assert story.paragraphs == [
        "The night buses that leave Ratnapark after ten lose money on every trip, and the city has paid for them "
        "anyway for eleven years.",
        "Drivers say most of their passengers are nurses, bakers and cleaners whose shifts end when every other "
        "bus has gone home.",
        "The transport office counted 412 riders a night in October, up from 280 a year earlier, after the routes "
        "were extended to the ring road.",
        "And plenty of riders said so online.",
        "Three years on the night bus and it has never once left me behind. Keep it running, please. — Sita Gurung "
        "(@sitag) November 3, 2026",
        "The council votes on next year's money on Friday.",
    ]
    # the long readers' comment, the time stamp, the contact line and the tags are not story text
    assert "Bir Hospital" not in story.body_text
    assert "Last Updated" not in story.body_text


# --- body: boilerplate inside the container --------------------------------------------------------


def test_promos_related_lists_and_newsletter_boxes_inside_the_container_never_reach_the_body():
    story = story_of("boilerplate_inside.html")
    assert story.paragraphs == [
        "Teachers in Kaski district went back to their classrooms on Tuesday after the provincial government "
        "agreed to pay the allowances it had held back since spring.",
        "The union said the deal covers about 3,200 teachers in community schools, most of them in the hill "
        "villages north of Pokhara.",
        "Parents had kept younger children at home during the strike, and some schools will add classes on "
        "Saturdays to make up the lost days.",
        "The district education office said all 214 schools were open by noon.",
    ]


# --- bylines ---------------------------------------------------------------------------------------


def test_bylines_come_from_the_story_never_from_boxes_comments_forms_or_times():
    story = story_of("bylines_elsewhere.html")
    assert story.bylines == ["Martin Lind, Jr."]


@pytest.mark.parametrize(
    ("html", "names"),
    [
        # structured data wins over a visible byline that names someone else
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person",'
            ' "name": "Ana Ruiz, MD"}}</script><p class="byline">By Tomas Reyes</p>',
            ["Ana Ruiz, MD"],
        ),
        # a visible byline naming the structured author and more completes it
        (
            '<meta name="author" content="Ana Ruiz"><p class="byline">By Ana Ruiz and Tomas Reyes</p>',
            ["Ana Ruiz", "Tomas Reyes"],
        ),
        ('<p class="byline">By Mara Lind | Wednesday</p>', ["Mara Lind"]),
        ('<p class="byline">Analysis by Mara Lind, Valley Ledger Editor-at-large</p>', ["Mara Lind"]),
        ('<div class="comments"><p class="byline">By Gita Thapa</p></div>', []),
        ('<div class="trending"><a rel="author" href="/author/gita">Gita Thapa</a></div>', []),
        ('<p class="byline">By Anonymous</p>', []),
    ],
)
def test_byline_sources(html, names):
    tree = lxml.html.document_fromstring(f"<html><head></head><body>{html}</body></html>")
    article = {"author": {"@type": "Person", "name": "Ana Ruiz, MD"}} if "ld+json" in html else None
    assert read_bylines(tree, article=article) == names


# --- outlet and dateline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lede", "dateline", "rest"),
    [
        ("KATHMANDU, Nov 3 (Reuters) — Rain fell.", "KATHMANDU, Nov 3 (Reuters)", "Rain fell."),
        ("WASHINGTON (AP) — The House voted.", "WASHINGTON (AP)", "The House voted."),
        ("SAN JUAN, Puerto Rico (AP) — Power returned.", "SAN JUAN, Puerto Rico (AP)", "Power returned."),
        ("New Delhi, Nov 3 (PTI) The court ruled.", "New Delhi, Nov 3 (PTI)", "The court ruled."),
        ("Kathmandu, November 3 (RSS): Rice prices rose.", "Kathmandu, November 3 (RSS)", "Rice prices rose."),
        ("POKHARA — Three bridges washed away.", "POKHARA", "Three bridges washed away."),
        # not datelines
        ("Kathmandu — a city of temples — grew.", "", "Kathmandu — a city of temples — grew."),
        ("The minister said (Reuters) — nothing.", "", "The minister said (Reuters) — nothing."),
        ("NASA said on Monday it would launch.", "", "NASA said on Monday it would launch."),
    ],
)
def test_split_dateline(lede, dateline, rest):
    assert split_dateline(lede) == (dateline, rest)


def test_wire_services_by_domain_and_short_form():
    assert outlet_for_domain("apnews.com") == "The Associated Press"
    assert outlet_for_domain("ptinews.com") == "Press Trust of India"
    assert outlet_for_domain("rss.com.np") == "Rastriya Samachar Samiti"
    assert outlet_for_domain("valleyledger.example") == ""
    assert readers_name("AP News") == "The Associated Press"
    assert readers_name("REUTERS") == "Reuters"
    assert readers_name("The Kathmandu Post") == "The Kathmandu Post"


def test_outlet_falls_back_to_the_wire_table_then_to_the_domain():
    page = (FIXTURES / "loose_text.html").read_bytes().replace(b'<meta property="og:site_name" content="Hill Deals">', b"")
    assert extract_story(page, source_url="https://www.reuters.com/world/bridges").source_outlet == "Reuters"
    assert extract_story(page, source_url="https://www.ptinews.com/news/1").source_outlet == "Press Trust of India"
    assert extract_story(page, source_url="https://www.hilldeals.com.np/x").source_outlet == "hilldeals.com.np"


def test_the_dateline_leaves_the_body_for_the_dateline_field(section):
    story = story_of("wire_dateline.html")
    assert story.source_outlet == "The Associated Press"  # og:site_name "AP News"
    assert story.dateline == "KATHMANDU, Nov 3 (AP)"
    assert story.paragraphs[0] == (
        "Nepal will let climbers attempt two more peaks in winter, the tourism ministry said on Tuesday, hoping "
        "to fill hotels in the quiet months."
    )
    assert story.reader_text.startswith("KATHMANDU, Nov 3 (AP) —\n\nNepal will let")
    page = services.article_import(html=(FIXTURES / "wire_dateline.html").read_bytes(), section=section)
    assert page.dateline == "KATHMANDU, Nov 3 (AP)"
    assert page.body[0].value.source.startswith("<p>Nepal will let climbers")


# --- the draft's notes and the lead image ----------------------------------------------------------


def png_bytes() -> bytes:
    buffer = BytesIO()
    PIL.Image.new("RGB", (32, 20), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


class _ImageServer(BaseHTTPRequestHandler):
    files: dict[str, tuple[int, bytes, str]] = {}

    def do_GET(self):  # noqa: N802 - the name http.server calls
        status, body, kind = self.files.get(self.path, (404, b"not here", "text/plain"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def image_server(monkeypatch, settings):
    """Serve ``/photos/lead.png`` (a PNG) and ``/photos/page.png`` (HTML) on 127.0.0.1 through the
    real checked fetcher, private addresses allowed as an intranet newsroom would; yield the base URL."""
    settings.PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS = True
    monkeypatch.setattr(services, "_fetch_image", ORIGINAL_FETCH_IMAGE)
    _ImageServer.files = {
        "/photos/lead.png": (200, png_bytes(), "image/png"),
        "/photos/page.png": (200, b"<html><body>Sign in</body></html>", "text/html"),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ImageServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_lead_image_is_copied_into_the_library_with_caption_credit_and_original_url(section, image_server):
    html = (FIXTURES / "wire_dateline.html").read_bytes()
    page = services.article_import(html=html, source_url=f"{image_server}/2026/11/peaks", section=section)

    page = ArticlePage.objects.get(pk=page.pk)
    image = page.lead_image
    assert image.title == "Climbers rest below Ama Dablam on Tuesday. — Pasang Sherpa"
    assert image.description == "Climbers rest below Ama Dablam on Tuesday."
    assert (image.width, image.height) == (32, 20)
    assert image.file.name.endswith(".png")
    assert page.lead_image_url == ""  # the outlet's server is not hot-linked
    assert page.lead_image_caption == "Climbers rest below Ama Dablam on Tuesday."
    assert page.lead_image_credit == "Pasang Sherpa"
    record = ImportedItem.objects.get(object_id=image.pk, kind="image")
    assert (record.source, record.old_path) == ("wire", f"{image_server}/photos/lead.png")
    assert page.import_notes == services.NO_BYLINE_NOTE  # the page names no writer

    # another story with the same photo reuses the copy
    again = html.replace(b"Nepal Opens Two Peaks", b"Nepal Opens Three Peaks")
    second = services.article_import(html=again, source_url=f"{image_server}/2026/11/more-peaks", section=section)
    assert second.lead_image_id == image.pk
    assert get_image_model().objects.count() == 1


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/photos/missing.png", "Could not fetch {base}/photos/missing.png: the server answered 404 Not Found"),
        ("/photos/page.png", "{base}/photos/page.png is not an image"),
    ],
)
def test_a_lead_image_that_cannot_be_copied_is_named_in_the_draft(section, image_server, path, problem):
    html = (FIXTURES / "wire_dateline.html").read_bytes().replace(b"/photos/lead.png", path.encode())
    page = services.article_import(html=html, source_url=f"{image_server}/2026/11/peaks", section=section)

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.lead_image is None
    assert page.lead_image_url == f"{image_server}{path}"
    assert page.import_notes.splitlines() == [
        services.NO_BYLINE_NOTE,
        "The lead image was not copied into the image library: " + problem.format(base=image_server)
        + ". The draft shows it from the outlet's server until you choose an image.",
    ]
    assert get_image_model().objects.count() == 0


def test_private_addresses_are_refused_without_the_setting(section, image_server, settings):
    settings.PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS = False
    page = services.article_import(
        html=(FIXTURES / "wire_dateline.html").read_bytes(), source_url=f"{image_server}/story", section=section
    )
    assert page.lead_image is None
    assert "pressclub fetches only public web addresses; 127.0.0.1 resolves to a private or local address" in (
        page.import_notes
    )


def test_a_story_with_bylines_and_a_fetched_image_has_no_notes(section):
    html = (FIXTURES / "bylines_elsewhere.html").read_bytes().replace(
        b"</title>", b'</title><meta property="og:image" content="https://img.example.org/clinic.png">'
    )
    page = services.article_import(html=html, section=section, fetch_image=lambda url: png_bytes())
    assert page.import_notes == ""
    assert page.original_bylines == "Martin Lind, Jr."
    assert page.lead_image.title == "Clinic Opens in Sikles"


# --- page furniture in the paragraphs --------------------------------------------------------------

STORY_LINE = "The council votes on next year's money for the night buses on Friday, its chair said."


@pytest.mark.parametrize(
    "furniture",
    [
        "Last Updated: 4 November 2026, 09:01 AM",
        "New Delhi, News Desk | Updated: 19 November 2026, 09:01 AM",
        "First Published: Tuesday, November 19, 2026 08:38 AM",
        "05/10/2026 - Posted by: Desk - Category: Health - Tags: buses, nurses",
        "Tags: buses, night shifts, council",
        "Have a tip? Mara Lind may be reached at mlind@ledger.example.com.",
        "Ana Ruiz can be reached at aruiz@ledger.example.com. Follow her on Twitter @anaruiz.",
        "copyright Valley Ledger 2026 - ISSN: 1234-5678",
        "The new bridge at Dhampus, installation views, photos © Valley Ledger, 2026",
        "Night Buses Keep Running November 20, 2026 - 11:28 NPT",
    ],
)
def test_page_furniture_leaves_the_body(furniture):
    paragraphs = ["The night buses lose money on every trip, and the city pays for them anyway.", furniture, STORY_LINE]
    cleaned = cleanup.clean_paragraphs(
        paragraphs, headlines=["Night Buses Keep Running"], bylines=[], caption="", credit=""
    )
    assert cleaned == [paragraphs[0], STORY_LINE]


@pytest.mark.parametrize(
    "sentence",
    [
        "The timetable was last updated in 2019, when the ring road opened.",
        "Copyright law does not cover a bus timetable, the court said.",
        "She was published in the Ledger on 3 November, and the council replied within a day.",
        "Readers can reach the desk through the form on the website.",
    ],
)
def test_story_sentences_that_look_like_furniture_stay(sentence):
    paragraphs = ["The night buses lose money on every trip, and the city pays for them anyway.", sentence, STORY_LINE]
    assert cleanup.clean_paragraphs(paragraphs, headlines=[], bylines=[], caption="", credit="") == paragraphs


def test_a_form_around_the_whole_page_is_neither_a_sign_up_box_nor_elsewhere():
    page = (FIXTURES / "bylines_elsewhere.html").read_bytes()
    page = page.replace(b"<body>", b'<body><form id="page-form" action="/"><input type="email" name="alerts">', 1)
    page = page.replace(b"</body>", b"</form></body>", 1)
    story = extract_story(page, source_url="https://news.example.org/story")
    assert story.bylines == ["Martin Lind, Jr."]
    assert story.paragraphs[0] == (
        "A health post with four beds and a birthing room opened in Sikles on Sunday, a day's walk from the "
        "nearest hospital in Pokhara."
    )
    assert len(story.paragraphs) == 5


def test_an_image_the_blogger_import_copied_from_the_same_address_does_not_collide(section, home_page):
    from django.contrib.contenttypes.models import ContentType

    url = "https://img.example.org/clinic.png"
    ImportedItem.objects.create(
        source_id=f"image:{url}", kind="image", content_type=ContentType.objects.get_for_model(home_page),
        object_id=home_page.pk, old_path=url,
    )
    html = (FIXTURES / "bylines_elsewhere.html").read_bytes().replace(
        b"</title>", f'</title><meta property="og:image" content="{url}">'.encode()
    )
    page = services.article_import(html=html, section=section, fetch_image=lambda url: png_bytes())
    assert ImportedItem.objects.get(source="wire").source_id == f"wire-image:{url}"
    assert page.lead_image is not None


def test_twin_containers_keep_what_lies_between_them_in_place():
    tree = lxml.html.document_fromstring(
        '<html><body><div class="page">'
        '<section class="story-text"><p>One.</p></section>'
        '<section class="story-quote"><blockquote><p>Two.</p></blockquote></section>'
        '<section class="story-text"><p>Three, the longest paragraph of all the three.</p></section>'
        "</div></body></html>"
    )
    main = cleanup.main_container(tree)
    assert cleanup.merge_split_body(tree, main) == 1
    assert [" ".join(node.text_content().split()) for node in main] == [
        "One.", "Two.", "Three, the longest paragraph of all the three."
    ]


def test_a_page_of_many_same_class_blocks_is_not_merged():
    blocks = "".join(f'<div class="block"><div class="block-text"><p>Item {n} of the list.</p></div></div>' for n in range(13))
    tree = lxml.html.document_fromstring(f"<html><body>{blocks}</body></html>")
    main = cleanup.main_container(tree)
    assert cleanup.merge_split_body(tree, main) == 0
    assert len(main) == 1
