"""Production settings with a schedule that does not wait for the next minute: for the two-server test.

``publish-scheduled`` runs every 2 seconds (croniter's sixth field counts seconds) and each
``pressclub worker`` looks every second, so a story scheduled a few seconds ahead goes live within
seconds; everything else is ``pressclub.settings.production``, read from the environment.
"""

from pressclub.settings.production import *  # noqa: F403

PRESSCLUB_SCHEDULE = {"publish-scheduled": {"cron": "* * * * * */2", "command": ["publish_scheduled"]}}
PRESSCLUB_SCHEDULE_TICK_SECONDS = 1
