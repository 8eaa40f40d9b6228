"""The demo's English stories (invented). ``ARTICLES`` also includes the stories in other languages."""

import datetime as dt

from .articles_regional import REGIONAL_ARTICLES
from .content import DemoArticle, DemoImage, h, p, q

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

ENGLISH_ARTICLES = [
    DemoArticle(
        slug="council-votes-to-rebuild-the-stone-steps-to-bhotechaur-market",
        section="local",
        title="Council votes to rebuild the stone steps to Bhotechaur market",
        kicker="Civic",
        dek="The 212 steps, laid in 1961, will be relaid before the festival season; traders worry about "
        "three months of closures.",
        dateline="KALIMGAON",
        authors=("dev-sharma",),
        labels=("Council", "Roads"),
        age=2 * DAY + 3 * HOUR,
        image=DemoImage(
            "Bhotechaur steps",
            "Stone steps climbing between shop fronts towards a market square.",
            "The steps from the lower bazaar to Bhotechaur market, as drawn for the council's plan.",
        ),
        body=[
            p(
                "Kalimgaon's municipal council voted 11 to 2 on Tuesday to relay the stone steps that "
                "climb from the lower bazaar to Bhotechaur market, the town's busiest route on foot."
            ),
            p(
                "The steps were laid in 1961 and have been patched every monsoon since. Several slabs "
                "near the water tap have cracked through, and residents say two people fell there in "
                "August alone."
            ),
            h("Work in three stretches"),
            p(
                "The ward engineer said the work would be done in three stretches so that one side of "
                "the market stays reachable at all times. Each stretch should take about four weeks. "
                "The new slabs will come from the same quarry above Phalekot that supplied the old ones."
            ),
            q("We are not building something new. We are putting back what our grandparents built.", "Ward chair Binod Rai"),
            p(
                "Traders at the top of the steps asked for the work to stop during the festival weeks. "
                "The council agreed to pause from the first day of the fair until the last."
            ),
        ],
    ),
    DemoArticle(
        slug="water-tanker-queues-return-as-sildhara-spring-runs-low",
        section="local",
        title="Water tanker queues return as Sildhara spring runs low",
        dek="Households in four wards are getting water twice a week; the utility blames a dry October "
        "and leaking mains.",
        dateline="KALIMGAON",
        authors=("dev-sharma", "mira-tamang"),
        labels=("Water",),
        age=4 * DAY + 6 * HOUR,
        image=DemoImage(
            "Sildhara spring",
            "Plastic water containers lined up beside a tanker on a hill road.",
            "Containers wait for the afternoon tanker in ward 6.",
        ),
        body=[
            p(
                "The queues are back. In wards 3 to 6 people have started leaving plastic containers by "
                "the road at dawn to hold a place for the municipal tanker, which now comes twice a week."
            ),
            p(
                "The Sildhara spring, which feeds the town's old reservoir, gave about a third of its "
                "usual flow last week, according to readings the water utility shared with the club."
            ),
            h("Leaks lose a quarter of the water"),
            p(
                "The utility's own survey, finished in September, found that roughly one litre in four "
                "leaks out of the mains before it reaches a tap. Replacing the worst two kilometres of "
                "pipe is in next year's budget, but the money has not yet been released."
            ),
            q("I carry water up sixty steps. Twice a week is not enough for a family of six.", "Resident of ward 5"),
            p(
                "The utility asked households to report leaks on its helpline and said it would add a "
                "third weekly round if the spring does not recover by the end of the month."
            ),
        ],
    ),
    DemoArticle(
        slug="girls-school-wins-district-science-fair-with-a-bottle-rain-gauge",
        section="local",
        title="Girls' school wins district science fair with a rain gauge made of bottles",
        dek="Three students from Kalimgaon Girls' High School logged rain on their roof for a year and "
        "matched the weather office's figures within a few millimetres.",
        dateline="KALIMGAON",
        authors=("dev-sharma",),
        labels=("Schools",),
        age=8 * DAY + 2 * HOUR,
        image=DemoImage(
            "Science fair",
            "A home-made rain gauge built from plastic bottles on a school roof.",
            "The winning rain gauge on the roof of Kalimgaon Girls' High School.",
        ),
        body=[
            p(
                "A rain gauge built from two plastic bottles and a ruler has won the district science "
                "fair for Kalimgaon Girls' High School."
            ),
            p(
                "The three Class 9 students who made it read it every morning before assembly for a "
                "whole year. Their monthly totals differed from the weather office's station at the "
                "helipad by less than five millimetres in most months."
            ),
            h("From a roof to a map"),
            p(
                "The students now want to put gauges on the roofs of five village schools up the valley, "
                "so that farmers can compare rainfall from one ridge to the next."
            ),
            q("The hardest part was getting up early on holidays.", "One of the three winners"),
        ],
    ),
    DemoArticle(
        slug="night-bus-to-the-plains-to-run-three-days-a-week-from-december",
        section="local",
        title="Night bus to the plains to run three days a week from December",
        dek="The service stopped during the landslide season; the transport committee says it will now "
        "run on Mondays, Wednesdays and Fridays.",
        dateline="KALIMGAON",
        authors=("dev-sharma",),
        labels=("Transport", "Roads"),
        age=11 * DAY + 5 * HOUR,
        image=DemoImage(
            "Night bus",
            "A bus with its headlights on at a hill-town bus stand after dark.",
            "The night bus at Kalimgaon bus stand before the monsoon suspension.",
        ),
        body=[
            p(
                "The night bus from Kalimgaon to the plains will run again from the first Monday of "
                "December, the district transport committee said on Thursday."
            ),
            p(
                "It will leave the bus stand at 7 pm on Mondays, Wednesdays and Fridays and reach the "
                "railway junction around dawn. Tickets stay at last year's price."
            ),
            h("Fewer days than before"),
            p(
                "Before the monsoon the bus ran every night. The committee said the Ridge Road detour "
                "adds too many hours for a daily service until the road is repaired."
            ),
        ],
    ),
    DemoArticle(
        slug="landslide-closes-ridge-road-for-a-second-week",
        section="hills",
        title="Landslide closes Ridge Road for a second week; detour adds two hours",
        kicker="Update",
        dek="Engineers say the slope above the 14-kilometre mark is still moving; vehicles are being "
        "sent round through Phalekot.",
        dateline="PHALEKOT",
        authors=("mira-tamang",),
        labels=("Roads", "Monsoon"),
        age=1 * DAY + 4 * HOUR,
        updated_after=6 * HOUR,
        sign_off="With reporting by the Hills desk",
        image=DemoImage(
            "Ridge Road",
            "A road cut through by a landslide on a steep forested slope.",
            "The slide above the 14-kilometre mark on Ridge Road.",
        ),
        body=[
            p(
                "Ridge Road, the only paved road between Kalimgaon and the upper valleys, will stay "
                "closed for at least another week, the roads division said on Sunday."
            ),
            p(
                "A slide on the night of the last heavy rain carried away about forty metres of road "
                "above the 14-kilometre mark. The slope above it is still shedding stones."
            ),
            h("The detour"),
            p(
                "Buses and trucks are being sent round through Phalekot on a gravel track that adds "
                "about two hours to the trip. Only light vehicles are allowed after dark."
            ),
            q("We cannot put people under a slope that is still moving.", "Roads division engineer"),
            h("Updated", "h3"),
            p(
                "This story was updated on Monday evening: the roads division now says a single lane "
                "may open to light vehicles by the weekend if the weather holds."
            ),
        ],
    ),
    DemoArticle(
        slug="cardamom-growers-try-drying-sheds-after-a-wet-harvest",
        section="hills",
        title="Cardamom growers try drying sheds after a wet harvest",
        dek="A cooperative in Upper Phalekot built six shared dryers; growers say the pods keep their "
        "colour and fetch a better price.",
        dateline="UPPER PHALEKOT",
        authors=("mira-tamang",),
        labels=("Agriculture",),
        age=6 * DAY + 9 * HOUR,
        image=DemoImage(
            "Cardamom dryers",
            "A wooden drying shed with smoke rising from its chimney among cardamom plants.",
            "One of the six shared dryers built by the Upper Phalekot cooperative.",
        ),
        body=[
            p(
                "After two harvests spoiled by rain, cardamom growers in Upper Phalekot have built six "
                "shared drying sheds that burn less wood and keep the smoke away from the pods."
            ),
            p(
                "Traders pay more for pods that stay green. In the old open kilns, smoke turned much of "
                "the crop dark brown, and growers sold it at a discount."
            ),
            h("Booked by the hour"),
            p(
                "The cooperative's members book the sheds by the hour on a notice board outside the "
                "village shop. A young grower keeps the register and the keys."
            ),
            q("The first batch came out the colour of new leaves. My father could not believe it.", "A grower in Upper Phalekot"),
        ],
    ),
    DemoArticle(
        slug="homestays-in-upper-phalekot-book-out-for-the-rhododendron-season",
        section="hills",
        title="Homestays in Upper Phalekot book out for the rhododendron season",
        dek="Families who opened rooms to walkers five years ago now turn guests away in April.",
        dateline="UPPER PHALEKOT",
        authors=("mira-tamang",),
        labels=("Tourism",),
        age=17 * DAY + 1 * HOUR,
        image=DemoImage(
            "Rhododendron trail",
            "A forest trail lined with red rhododendron blossom and a village in the distance.",
            "The trail above Upper Phalekot in last year's flowering season.",
        ),
        body=[
            p(
                "Every room in Upper Phalekot's fourteen homestays is booked for the three weeks when "
                "the rhododendron forest above the village is in flower, the homestay committee says."
            ),
            p(
                "The committee has agreed a common price, a rota for guides and a rule that no new "
                "building goes up inside the forest."
            ),
            h("Keeping the money in the village"),
            p(
                "A share of each night's price goes into a fund that paid for the village's new water "
                "tank last year and will pay for trail repairs after the monsoon."
            ),
        ],
    ),
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
