"""Demo content for the fictional Valley Press Club: invented local news from the hill town of Kalimgaon.

Every name, place and quotation here is made up. ``content`` holds the data (sections, authors,
pages), ``articles`` the stories, ``images`` draws the lead images, and ``services.demo_load``
puts it all in the database (run it with ``pressclub load-demo`` or ``pressclub demo``).
"""
