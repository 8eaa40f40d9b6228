"""Demo content for the fictional Valley Press Club: invented local news from the hill town of Kalimgaon.

Every name, place and quotation here is made up. ``content`` holds the site, sections, authors and
pages; ``articles`` gathers the stories (``articles_town`` for Local and Hills, ``articles_regional``
for those in Nepali, Bengali and Hindi); ``images`` draws the lead images; ``services.demo_load``
puts it all in the database (``pressclub load-demo``, or ``pressclub demo``); ``comments`` adds demo
members and their comment thread (``load_demo_comments``, which ``load_demo`` runs).

The demo is a consumer of the other apps: nothing outside this package imports it except the
``pressclub`` console command.
"""
