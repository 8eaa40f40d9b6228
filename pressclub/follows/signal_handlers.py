"""Signal receivers of the follows app, connected in ``FollowsConfig.ready()``."""

from django.db import transaction
from wagtail.signals import page_published


def mail_breaking_news(sender, instance, **kwargs):
    """A story was published: if it is breaking news, mail it to the followers who asked, once the
    publication has committed (a task; the key keeps one mail per follower and banner)."""
    if not instance.is_breaking():
        return
    from .tasks import send_breaking_news

    transaction.on_commit(lambda: send_breaking_news.enqueue(instance.pk), robust=True)


def register() -> None:
    """Connect the receivers (``page_published`` of ArticlePage: Wagtail sends it after each publish)."""
    from pressclub.news.models import ArticlePage

    page_published.connect(mail_breaking_news, sender=ArticlePage, dispatch_uid="follows_breaking_news")
