"""The demo's English stories from India, the world and Opinion (invented), and ``ARTICLES``: every demo story."""

from .articles_regional import REGIONAL_ARTICLES
from .articles_town import TOWN_AND_HILLS_ARTICLES
from .content import DAY, HOUR, DemoArticle, DemoImage, h, p, q

ENGLISH_ARTICLES = TOWN_AND_HILLS_ARTICLES + [
    DemoArticle(
        slug="journalists-unions-ask-for-a-national-register-of-attacks-on-reporters",
        section="india",
        title="Journalists' unions ask for a national register of attacks on reporters",
        kicker="Press freedom",
        dek="The unions say district reporters, who work alone and far from newsrooms, are the least "
        "protected and the least counted.",
        dateline="NEW DELHI",
        authors=("nandini-roy",),
        byline_credit="with inputs from members in three states",
        labels=("Press freedom", "Journalism"),
        age=9 * DAY + 7 * HOUR,
        image=DemoImage(
            "Press freedom",
            "A notebook and a microphone on a table with a crowd in the background.",
            "Reporters at a district press conference.",
        ),
        body=[
            p(
                "Five journalists' unions have asked for a public register of threats and attacks on "
                "reporters, kept by an independent body and updated every month."
            ),
            p(
                "At a meeting this week they said most cases involve district reporters and stringers, "
                "who often work for several outlets at once and have no legal help when they are "
                "threatened."
            ),
            h("Counting what is not counted"),
            p(
                "The unions want the register to record threats as well as attacks, and to say what "
                "happened to each complaint."
            ),
            q("What is not counted is not seen, and what is not seen is not stopped.", "A union secretary"),
        ],
    ),
    DemoArticle(
        slug="glacier-lake-early-warning-sirens-tested-across-three-valleys",
        section="world",
        title="Glacier lake early-warning sirens tested across three valleys",
        dek="Sirens sounded in 38 villages below two glacial lakes in a drill that authorities called a "
        "success, though several hamlets reported they heard nothing.",
        dateline="GENEVA",
        kicker="Wire",
        labels=("Climate",),
        age=3 * DAY + 1 * HOUR,
        source_outlet="Continental Wire Service",
        original_url="https://example.com/cws/2026/glacier-lake-early-warning-sirens-tested",
        original_published_before=5 * HOUR,
        original_bylines="Tomas Varga and Leila Haddad",
        image=DemoImage(
            "Glacier lake",
            "A turquoise glacial lake below snow peaks with a siren tower on a moraine.",
            "A siren tower on the moraine below the upper lake.",
            "Illustration: Valley Press Club, after a Continental Wire Service photograph",
        ),
        body=[
            p(
                "Warning sirens sounded in 38 villages below two glacial lakes on Tuesday in the largest "
                "drill of its kind so far, officials coordinating the exercise said."
            ),
            p(
                "The system uses water-level sensors at the lakes' outlets. If a lake rises quickly, "
                "the sirens downstream go off automatically and text messages go to village volunteers."
            ),
            h("Gaps in the far hamlets"),
            p(
                "Volunteers in at least four hamlets said they did not hear the sirens over the noise "
                "of the river. Organisers said extra loudspeakers would be added before spring."
            ),
            q("A warning only works if the last house hears it.", "A volunteer coordinator"),
        ],
    ),
    DemoArticle(
        slug="small-newsrooms-meet-to-share-tools-for-covering-local-councils",
        section="world",
        title="Small newsrooms meet to share tools for covering local councils",
        dek="Reporters from eleven countries compared notes on budgets, meeting records and keeping "
        "small papers alive.",
        dateline="LISBON",
        authors=("nandini-roy",),
        labels=("Journalism",),
        age=20 * DAY + 8 * HOUR,
        image=DemoImage(
            "Newsroom meeting",
            "People around a long table with laptops and printed council budgets.",
            "Participants compare council budget documents at the meeting.",
        ),
        body=[
            p(
                "Reporters from small and non-profit newsrooms in eleven countries met this week to "
                "compare how they cover local councils with very few staff."
            ),
            p(
                "The most shared idea was the simplest: publish the council's agenda before every "
                "meeting and ask readers what to watch for."
            ),
            h("What the club brought home"),
            p(
                "The Valley Press Club's delegate presented our practice of reading the municipal "
                "budget line by line in public each spring, with members taking a page each."
            ),
        ],
    ),
    DemoArticle(
        slug="why-our-club-lets-only-members-comment",
        section="opinion",
        title="Why our club lets only members comment",
        kicker="Opinion",
        dek="Comments are a conversation among people who answer for what they say. That is why you "
        "need to join before you post.",
        authors=("nandini-roy",),
        labels=("Journalism", "Comments"),
        age=13 * DAY + 10 * HOUR,
        image=DemoImage(
            "Members only",
            "Chairs arranged in a circle in a small hall with a notice board.",
            "The club's hall, where members meet on the first Saturday of the month.",
        ),
        body=[
            p(
                "Every few weeks a reader writes to ask why they cannot comment without joining the club. "
                "It is a fair question, and here is our answer."
            ),
            p(
                "Kalimgaon is a small town. The people in our stories are our neighbours, and a cruel "
                "anonymous comment under a story about a family's loss does real harm that no "
                "moderator can fully undo."
            ),
            h("Joining is easy"),
            p(
                "Register with your e-mail address, then ask to join. Membership costs nothing for "
                "students and very little for everyone else. Members agree to the comment policy and "
                "comment under their own name."
            ),
            q("A comment section should sound like the town talking, not like a crowd shouting.", "Nandini Roy"),
            p(
                "We may be wrong about this, and we will look again next year. Tell us what you think, "
                "ideally as a member."
            ),
        ],
    ),
    DemoArticle(
        slug="ridge-road-needs-a-plan-not-another-patch",
        section="opinion",
        title="Ridge Road needs a plan, not another patch",
        kicker="Editorial",
        dek="Every monsoon the same slopes fail. The district should publish a plan for the whole road "
        "before the next one.",
        byline_credit="The Valley Press Club editorial board",
        labels=("Roads", "Monsoon"),
        age=0 * DAY + 20 * HOUR,
        image=DemoImage(
            "A plan for Ridge Road",
            "A map of a winding mountain road marked with red circles at landslide spots.",
            "The slide-prone stretches of Ridge Road, from the roads division's own records.",
        ),
        body=[
            p(
                "For the third year running, Ridge Road has been cut by the same slopes. Each time the "
                "roads division clears the debris and patches the road, and each time the patch fails."
            ),
            h("What a plan would contain"),
            p(
                "A list of the slopes that fail, what it would cost to stabilise each, and in what order "
                "the work will be done. Published, with dates, so that residents can hold someone to it."
            ),
            q("A road that closes every year is not bad luck. It is a decision not yet taken."),
        ],
    ),
]

ARTICLES = ENGLISH_ARTICLES + REGIONAL_ARTICLES
