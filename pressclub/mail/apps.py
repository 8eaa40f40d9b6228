from django.apps import AppConfig


class MailConfig(AppConfig):
    """The outbox: every e-mail the site sends is stored here and leaves from the task worker."""

    name = "pressclub.mail"
    label = "mail"
    verbose_name = "Outgoing mail"
    default_auto_field = "django.db.models.BigAutoField"
