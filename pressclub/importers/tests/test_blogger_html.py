"""Blogger post HTML: images get an alt and https on Blogger's hosts; old YouTube players become embeds."""

import pytest

from pressclub.importers.blogger.html import body_blocks

WATCH = "https://www.youtube.com/watch?v=Zxcu_3HaFFI"


def test_images_without_alt_get_an_empty_alt_and_blogger_hosts_get_https():
    blocks, removed = body_blocks(
        '<p>The hall<img src="http://1.bp.blogspot.com/-x/hall.jpg"></p>'
        '<p><img alt="Members at the door" src="http://blogger.googleusercontent.com/img/b/door.png"></p>'
        '<p><img src="http://photos.example.org/river.jpg" alt="The river"></p>'
    )
    assert blocks == [
        (
            "html",
            '<p>The hall<img src="https://1.bp.blogspot.com/-x/hall.jpg" alt=""></p>'
            '<p><img alt="Members at the door" src="https://blogger.googleusercontent.com/img/b/door.png"></p>'
            '<p><img src="http://photos.example.org/river.jpg" alt="The river"></p>',
        )
    ]
    assert removed == []


def test_a_lookalike_host_keeps_http():
    blocks, _removed = body_blocks('<img src="http://bp.blogspot.com.example.net/a.jpg" alt="">')
    assert blocks == [("html", '<img src="http://bp.blogspot.com.example.net/a.jpg" alt="">')]


@pytest.mark.parametrize(
    "player",
    [
        '<object><param name="movie" value="http://www.youtube.com/v/Zxcu_3HaFFI&amp;fs=1">'
        '<embed src="http://www.youtube.com/v/Zxcu_3HaFFI&amp;fs=1"></object>',
        '<iframe src="//www.youtube.com/get_player?enablejsapi=1&amp;video_id=Zxcu_3HaFFI"></iframe>',
        '<object data-thumbnail-src="http://2.gvt0.com/vi/Zxcu_3HaFFI/0.jpg">'
        '<param name="movie" value="//www.youtube.com/get_player"><embed src="//www.youtube.com/get_player"></object>',
        '<object><param name="movie" value="//www.youtube.com/get_player">'
        '<param name="flashvars" value="autoplay=0&amp;video_id=Zxcu_3HaFFI"></object>',
    ],
)
def test_old_youtube_players_become_embeds(player):
    blocks, removed = body_blocks(f"<p>Before</p>{player}<p>After</p>")
    assert blocks == [("html", "<p>Before</p>"), ("embed", WATCH), ("html", "<p>After</p>")]
    assert removed == []


def test_a_youtube_player_without_a_video_id_is_listed_as_removed():
    player = (
        '<object><param name="movie" value="//www.youtube.com/get_player">'
        '<embed src="//www.youtube.com/get_player" flashvars="flvurl=http://videos.example.net/play?id%3Dcc627f38626dec58">'
        "</object>"
    )
    blocks, removed = body_blocks(f"<p>Before</p>{player}")
    assert blocks == [("html", "<p>Before</p>")]
    assert removed == ["//www.youtube.com/get_player"]


def test_image_copy_refuses_private_addresses(monkeypatch):
    import socket

    from pressclub.importers.blogger.images import ImageFetchError, fetch_url

    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 80))])
    with pytest.raises(ImageFetchError) as err:
        fetch_url("http://metadata.example/latest/meta-data/")
    assert str(err.value) == (
        "pressclub fetches only public web addresses; metadata.example resolves to a private or local address."
    )
