"""The shapes of the demo content, and the site, sections, authors and standard pages it contains."""

import datetime as dt
import html
from dataclasses import dataclass, field

SITE_NAME = "Valley Press Club News"
HOME_INTRO = "Local news from Kalimgaon and the hills, reported by the members of the Valley Press Club."
TAGLINE = "Local news from Kalimgaon and the hills"
PUBLISHER = "Valley Press Club"
FOOTER_NOTE = (
    "Valley Press Club is a non-profit association of journalists in Kalimgaon. "
    "Only members may comment."
)

EDITOR_EMAIL = "editor@example.org"
EDITOR_PASSWORD = "kalimgaon-demo-desk"  # noqa: S105 - printed on purpose: this is the demo's login
EDITOR_NAME = "Demo Editor"


@dataclass(frozen=True)
class DemoStaff:
    """A newsroom account of the demo: its role (the Wagtail group it is in), login and name."""

    role: str
    group: str
    email: str
    password: str
    display_name: str


# One login per newsroom role, so each can be walked through; printed by `pressclub demo`.
STAFF = [
    DemoStaff("editor", "Editors", EDITOR_EMAIL, EDITOR_PASSWORD, EDITOR_NAME),
    DemoStaff("reporter", "Reporters", "reporter@example.org", "kalimgaon-demo-beat", "Demo Reporter"),
    DemoStaff("moderator", "Moderators", "moderator@example.org", "kalimgaon-demo-queue", "Demo Moderator"),
]
ABOUT_SLUG = "about"
POLICY_SLUG = "comment-policy"

DAY = dt.timedelta(days=1)  # stories give their age in days and hours before the load
HOUR = dt.timedelta(hours=1)


def p(text: str) -> tuple[str, str]:
    """Return a paragraph block from plain text (escaped)."""
    return ("paragraph", f"<p>{html.escape(text, quote=False)}</p>")


def h(text: str, level: str = "h2") -> tuple[str, dict]:
    """Return a heading block."""
    return ("heading", {"text": text, "level": level})


def q(quote: str, attribution: str = "") -> tuple[str, dict]:
    """Return a pull-quote block."""
    return ("pull_quote", {"quote": quote, "attribution": attribution})


@dataclass(frozen=True)
class DemoSection:
    """A section under the front page."""

    slug: str
    title: str
    intro: str
    colours: tuple[str, str]  # top and bottom of the lead images' sky, "#rrggbb"


@dataclass(frozen=True)
class DemoAuthor:
    """An author snippet."""

    slug: str
    name: str
    role: str
    bio: str


@dataclass(frozen=True)
class DemoImage:
    """A lead image to draw: ``scene`` is the line of text written on it (Latin script)."""

    scene: str
    alt: str
    caption: str
    credit: str = "Illustration: Valley Press Club"


@dataclass(frozen=True)
class DemoArticle:
    """One story. ``age`` is how long before the load it was first published."""

    slug: str
    section: str
    title: str
    dek: str
    body: list
    age: dt.timedelta
    image: DemoImage
    authors: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    kicker: str = ""
    dateline: str = ""
    language: str = "en"
    byline_credit: str = ""
    sign_off: str = ""
    updated_after: dt.timedelta | None = None
    source_outlet: str = ""
    original_url: str = ""
    original_published_before: dt.timedelta | None = None
    original_bylines: str = ""
    # Corrections and updates: (kind "correction" or "update", text, time after first publication).
    corrections: tuple[tuple[str, str, dt.timedelta], ...] = ()


@dataclass(frozen=True)
class DemoPage:
    """A standard page under the front page."""

    slug: str
    title: str
    intro: str
    body: list = field(default_factory=list)


SECTIONS = [
    DemoSection("local", "Local", "Kalimgaon town: the council, the market, schools and streets.", ("#f3c57a", "#c8553d")),
    DemoSection("hills", "Hills", "Villages, farms, roads and weather across the upper valleys.", ("#a8d5e2", "#3d6b4f")),
    DemoSection("india", "India", "News from across the country that matters in the hills.", ("#f6e2b3", "#d17a22")),
    DemoSection("world", "World", "Stories from beyond the border, including wire reports.", ("#b9c7e8", "#2e4a7d")),
    DemoSection("opinion", "Opinion", "Columns and editorials from the club's members.", ("#e7d3e8", "#6b3d6f")),
]

AUTHORS = [
    DemoAuthor(
        "mira-tamang",
        "Mira Tamang",
        "Hills correspondent",
        "Mira Tamang has covered the upper valleys for eleven years, mostly on foot. She grew up in "
        "Phalekot and writes about roads, farming and the weather that decides both.",
    ),
    DemoAuthor(
        "dev-sharma",
        "Dev Sharma",
        "Staff reporter",
        "Dev Sharma reports on Kalimgaon's municipal council, schools and the bazaar. Before joining "
        "the club's newsroom he taught mathematics at the town's higher secondary school.",
    ),
    DemoAuthor(
        "nandini-roy",
        "Nandini Roy",
        "Opinion editor",
        "Nandini Roy edits the Opinion section and writes a fortnightly column on journalism and "
        "public life. She writes in English and Bengali and chairs the club's ethics committee.",
    ),
]

PAGES = [
    DemoPage(
        "about",
        "About the Valley Press Club",
        "We are a non-profit association of working journalists in Kalimgaon and the hills around it.",
        [
            p(
                "The Valley Press Club is a non-profit, member-run association. It was founded by "
                "reporters, photographers and editors who wanted a place to publish careful local news "
                "without owners to please. Nobody is paid from this website; the club lives on "
                "membership dues and small donations, and it publishes its accounts every year."
            ),
            h("What we publish"),
            p(
                "Reporting from Kalimgaon and the upper valleys, some national and world news that "
                "matters here (wire stories always name their source and link to the original), and "
                "opinion from our members, clearly labelled as opinion."
            ),
            h("Who may comment"),
            p(
                "Anyone may read everything on this site. Only members of the club may comment. "
                "Readers can register with an e-mail address and then ask to join; members are admitted "
                "by the club's committee. Comments are moderated by volunteer editors."
            ),
            p("Corrections and tips: write to the desk at newsroom@example.org."),
        ],
    ),
    DemoPage(
        "comment-policy",
        "Comment policy",
        "Be decent. Disagree with arguments, not with people.",
        [
            p(
                "Comments are where members add what a story missed, correct us, and argue. We ask "
                "everyone to be decent: no insults, no threats, no attacks on anyone's caste, religion, "
                "community, gender or body, and no private details about other people."
            ),
            h("What moderators remove"),
            p(
                "Abuse, spam, advertising, comments that name victims or minors, and anything that "
                "could put a source in danger. A moderator may hold a comment before it appears; the "
                "author sees it marked as awaiting moderation."
            ),
            q("Write as if the person you are answering were sitting across the table.", "The club's committee"),
            p(
                "If you think a comment breaks these rules, use the flag link under it. If you think "
                "we removed yours by mistake, write to the desk and a second editor will look again."
            ),
        ],
    ),
]
