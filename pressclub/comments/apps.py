from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Members' comments and the moderation queue."""

    name = "pressclub.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from . import member_holes, signal_handlers

        signal_handlers.register()
        member_holes.register()
