from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    """Periodic jobs: ``pressclub worker`` queues each job's task when its cron time comes (``services``)."""

    name = "pressclub.schedule"
    label = "schedule"
    verbose_name = "Schedule"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check of PRESSCLUB_SCHEDULE)
