"""Background work of the follows app: the confirmation mail (queued by ``services.follow_request``)."""

from django_tasks import task


@task()
def send_follow_confirmation(follow_id: int, token: str, key: str) -> int:
    """Mail the confirmation link ``token`` for the follow ``follow_id`` under the outbox idempotency
    ``key``; return mails sent (0 when the follow is gone)."""
    from .emails import confirmation_send
    from .models import Follow

    follow = Follow.objects.select_related("follower", "section", "label", "author").filter(pk=follow_id).first()
    if follow is None:
        return 0
    return confirmation_send(follow=follow, token=token, key=key)


@task()
def send_breaking_news(page_id: int) -> int:
    """Mail the breaking story ``page_id`` to the followers who asked for breaking news; return mails
    put into the outbox (0 when the story is gone or its banner has ended)."""
    from pressclub.news.models import ArticlePage

    from .emails import breaking_news_send

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is None or not page.is_breaking():
        return 0
    return breaking_news_send(page=page)
