"""The demo's English stories from Kalimgaon (Local) and the upper valleys (Hills), all invented."""

from .content import DAY, HOUR, DemoArticle, DemoImage, h, p, q

TOWN_AND_HILLS_ARTICLES = [
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
        corrections=(
            ("correction", "An earlier version of this story said the council voted 12 to 1. The vote was 11 to 2.",
             5 * HOUR),
        ),
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
]
