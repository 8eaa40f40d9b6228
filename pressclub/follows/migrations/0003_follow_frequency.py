"""How often a topic comes, and the digest window, move from the address to each follow.

Each existing follow takes its follower's frequency, ``digest_since`` and ``last_period``, so
followers keep the digests they had; then the follower's own fields go. ``request_id`` (the pending
confirmation) starts empty: links sent before keep working while their follow is unconfirmed.
"""

from django.db import migrations, models


def copy_to_follows(apps, schema_editor):
    """Give every follow its follower's frequency, digest window and last period."""
    Follower = apps.get_model("follows", "Follower")
    Follow = apps.get_model("follows", "Follow")
    for follower in Follower.objects.only("pk", "frequency", "digest_since", "last_period").iterator(chunk_size=2000):
        Follow.objects.filter(follower_id=follower.pk).update(
            frequency=follower.frequency, digest_since=follower.digest_since, last_period=follower.last_period
        )


def copy_to_followers(apps, schema_editor):
    """Backwards: a follower takes the frequency of its first follow and its earliest window."""
    Follower = apps.get_model("follows", "Follower")
    Follow = apps.get_model("follows", "Follow")
    for follower in Follower.objects.all().iterator(chunk_size=2000):
        follows = list(Follow.objects.filter(follower_id=follower.pk).order_by("pk"))
        if follows:
            follower.frequency = follows[0].frequency
            windows = [f.digest_since for f in follows if f.digest_since is not None]
            follower.digest_since = min(windows) if windows else None
            follower.last_period = follows[0].last_period
            follower.save(update_fields=["frequency", "digest_since", "last_period"])


class Migration(migrations.Migration):

    dependencies = [
        ("follows", "0002_follower_breaking"),
    ]

    operations = [
        migrations.AddField(
            model_name="follow",
            name="frequency",
            field=models.CharField(choices=[("daily", "Daily"), ("weekly", "Weekly")], default="daily", max_length=6),
        ),
        migrations.AddField(
            model_name="follow",
            name="digest_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="follow",
            name="last_period",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="follow",
            name="request_id",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.RunPython(copy_to_follows, copy_to_followers),
        migrations.RemoveField(model_name="follower", name="frequency"),
        migrations.RemoveField(model_name="follower", name="digest_since"),
        migrations.RemoveField(model_name="follower", name="last_period"),
    ]
