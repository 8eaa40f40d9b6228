"""The comment feeds are kept by the page cache and forgotten when a comment is approved or edited."""


from pressclub.comments import services


def test_comment_feeds_are_cached_and_purged_when_a_comment_is_approved(
    client, page_cache, article, make_comment, moderator, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_comment(body="The bridge is long overdue.")
    held = make_comment(body="Who pays for the upkeep?", status="pending")
    paths = ["/comments/feed/", "/comments/feed/atom/", f"/comments/feed/{article.pk}/", f"/comments/feed/{article.pk}/atom/"]
    for path in paths:
        assert client.get(path)["X-Page-Cache"] == "miss"
    for path in paths:
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response["X-Page-Cache"] == "hit"
        assert "upkeep" not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=held, moderator=moderator)
    for path in paths:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss"
        assert "Who pays for the upkeep?" in response.content.decode()
