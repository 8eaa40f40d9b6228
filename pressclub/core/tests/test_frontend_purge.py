"""The front-end caches get the same URL lists as the page cache: the purge calls Wagtail's Cloudflare
and CloudFront backends make (their HTTP layers answered by ``responses`` and botocore's Stubber), the
PURGE requests the HTTP backend sends to a local endpoint, and purges gathered into one batch."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import boto3
import pytest
import responses
from botocore.stub import ANY, Stubber
from django.utils import timezone

from pressclub.core import purge
from pressclub.core.purge_lists import purge_list
from pressclub.core.tasks import frontend_purge_flush
from pressclub.testing.factories import create_comment

pytestmark = pytest.mark.django_db

CLOUDFLARE = "https://api.cloudflare.com/client/v4/zones/zone-1/purge_cache"


@pytest.fixture
def article(article):
    """The footbridge story, nothing remembered of the purges its making caused (``news.purge_lists``)."""
    from django.core.cache import cache

    cache.clear()
    return article


@pytest.fixture
def cloudflare(settings):
    """Cloudflare as the front-end cache, its API answered by ``responses``; yield the mock."""
    settings.WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": "zone-1",
            "BEARER_TOKEN": "token-1",
        }
    }
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, CLOUDFLARE, json={"success": True, "errors": [], "messages": [], "result": {}})
        yield mock


def sent_to_cloudflare(mock) -> list[list[str]]:
    """Return the ``files`` of each purge call Cloudflare received, in order."""
    assert all(call.request.headers["Authorization"] == "Bearer token-1" for call in mock.calls)
    return [json.loads(call.request.body)["files"] for call in mock.calls]


def test_cloudflare_is_sent_a_published_storys_list(cloudflare, article):
    story = purge_list("story_published", page=article)

    purge.cache_purge(story)

    assert sent_to_cloudflare(cloudflare) == [story.sorted_urls]
    assert len(story.sorted_urls) == 17


def test_cloudflare_is_sent_an_approved_comments_list(cloudflare, article, make_comment):
    comment = purge_list("comment_approved", comment=make_comment(body="The bridge is long overdue."))

    purge.cache_purge(comment)

    assert sent_to_cloudflare(cloudflare) == [comment.sorted_urls]
    assert comment.sorted_urls[0] == "http://localhost/"


def test_cloudflare_gets_thirty_urls_a_call(cloudflare, article):
    urls = [f"http://localhost/label/label-{n:02d}/" for n in range(45)]

    purge.frontend_purge_later(urls)

    assert sent_to_cloudflare(cloudflare) == [urls[:30], urls[30:]]


@pytest.fixture
def cloudfront(settings, monkeypatch):
    """CloudFront as the front-end cache: Wagtail's backend with a boto3 client whose HTTP layer is
    botocore's Stubber. Yield ``(stubber, calls)``, ``calls`` the CreateInvalidation parameters sent."""
    settings.WAGTAILFRONTENDCACHE = {
        "cloudfront": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": "E2EXAMPLE",
        }
    }
    client = boto3.client("cloudfront", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    calls = []
    client.meta.events.register(
        "before-parameter-build.cloudfront.CreateInvalidation", lambda params, **kwargs: calls.append(params)
    )
    monkeypatch.setattr(boto3, "client", lambda *args, **kwargs: client)
    with Stubber(client) as stubber:
        yield stubber, calls
        stubber.assert_no_pending_responses()


def _invalidation_answer(paths):
    return {
        "Location": "https://cloudfront.amazonaws.com/2020-05-31/distribution/E2EXAMPLE/invalidation/I1",
        "Invalidation": {
            "Id": "I1", "Status": "InProgress", "CreateTime": dt.datetime(2026, 3, 15, tzinfo=dt.UTC),
            "InvalidationBatch": {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": "x"},
        },
    }


def test_cloudfront_is_sent_a_published_storys_paths_in_one_invalidation(cloudfront, article):
    stubber, calls = cloudfront
    story = purge_list("story_published", page=article)
    paths = sorted(urlsplit(url).path for url in story.sorted_urls)
    stubber.add_response(
        "create_invalidation", _invalidation_answer(paths),
        {"DistributionId": "E2EXAMPLE", "InvalidationBatch": {"Paths": {"Quantity": 17, "Items": ANY},
                                                              "CallerReference": ANY}},
    )

    purge.cache_purge(story)

    assert [sorted(call["InvalidationBatch"]["Paths"]["Items"]) for call in calls] == [paths]


def test_cloudfront_is_not_sent_comment_purges(cloudfront, article, make_comment):
    _stubber, calls = cloudfront

    purge.cache_purge(purge_list("comment_approved", comment=make_comment(body="Long overdue.")))

    assert calls == []  # its pages refresh through the short s-maxage instead


def test_cloudfront_is_not_sent_a_renamed_members_pages_cloudflare_is(cloudfront, article, make_comment, member,
                                                                      settings):
    _stubber, calls = cloudfront
    settings.WAGTAILFRONTENDCACHE = {
        **settings.WAGTAILFRONTENDCACHE,
        "cloudflare": {"BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
                       "ZONEID": "zone-1", "BEARER_TOKEN": "token-1"},
    }
    make_comment(user=member, body="Long overdue.")
    renamed = purge_list("member_renamed", user_id=member.pk)

    with responses.RequestsMock() as cloudflare:
        cloudflare.add(responses.POST, CLOUDFLARE, json={"success": True, "errors": [], "messages": [], "result": {}})
        purge.cache_purge(renamed)
        assert (calls, sent_to_cloudflare(cloudflare)) == ([], [renamed.sorted_urls])
    assert len(renamed.sorted_urls) == 5  # the story, its two comment feeds, the site's two


class PurgeEndpoint(BaseHTTPRequestHandler):
    """A caching proxy's purge server (as nginx's): answers PURGE with 200 and records each request."""

    received: list[tuple[str, str, str]] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.received.append((self.command, self.headers["Host"], self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_endpoint(settings):
    """A local HTTP purge endpoint as ``PRESSCLUB_CACHE_PURGE_URL``; yield the requests it received."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeEndpoint.received = []
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield PurgeEndpoint.received
    server.shutdown()
    server.server_close()


def _as_purges(urls):
    return sorted(("PURGE", urlsplit(url).netloc, urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else ""))
                  for url in urls)


def test_the_http_purge_server_gets_one_purge_per_url_of_a_published_story(purge_endpoint, article):
    story = purge_list("story_published", page=article)

    purge.cache_purge(story)

    assert sorted(purge_endpoint) == _as_purges(story.urls)
    assert ("PURGE", "localhost", "/local/council-approves-new-footbridge-over-the-seti/") in purge_endpoint


def test_the_http_purge_server_gets_one_purge_per_url_of_an_approved_comment(purge_endpoint, article):
    comment = create_comment(article, body="Long overdue.", status="rejected")
    removed = purge_list("comment_removed", comment=comment)

    purge.cache_purge(removed)

    assert sorted(purge_endpoint) == _as_purges(removed.urls)
    assert ("PURGE", "localhost", "/local/council-approves-new-footbridge-over-the-seti/?comments=2") in purge_endpoint


def test_purges_of_a_few_seconds_go_out_together(deferring_tasks, cloudflare, settings, article, make_comment):
    settings.PRESSCLUB_FRONTEND_PURGE_DELAY = 5
    first = purge_list("comment_approved", comment=make_comment(body="Long overdue."))
    second = purge_list("story_edited", page=article)
    before = timezone.now()

    purge.cache_purge(first)
    purge.cache_purge(second)
    purge.cache_purge(first)

    flushes = [r for r in deferring_tasks.results if r.task.name == frontend_purge_flush.name]
    assert len(flushes) == 1
    assert 4 <= (flushes[0].task.run_after - before).total_seconds() <= 6
    assert len(cloudflare.calls) == 0  # nothing sent yet

    assert purge.frontend_purge_flush() == len(first.urls | second.urls)
    assert sent_to_cloudflare(cloudflare) == [sorted(first.urls | second.urls)]
    assert purge.frontend_purge_flush() == 0  # each queued purge is sent once


def test_nothing_is_queued_without_a_front_end_cache(deferring_tasks, settings, article):
    settings.WAGTAILFRONTENDCACHE = {}

    purge.cache_purge(purge_list("story_published", page=article))

    assert [r for r in deferring_tasks.results if r.task.name == frontend_purge_flush.name] == []
