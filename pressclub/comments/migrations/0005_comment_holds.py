"""Hold reasons become typed values (``Comment.holds``) instead of one "; "-joined string.

The old ``hold_reason`` texts are read once, here, and stored as ``{"reason", "detail"}`` entries;
a text this migration does not recognise is kept whole as an "other" reason.
"""

import re

from django.db import migrations, models

SEPARATOR = "; "
FIXED = {
    "e-mail address not confirmed": "email_unconfirmed",
    "every comment is moderated": "every_comment",
    "first comment": "first_comment",
    "story older than the moderation limit": "old_story",
}
LABELS = {
    "email_unconfirmed": "e-mail address not confirmed",
    "every_comment": "every comment is moderated",
    "first_comment": "first comment",
    "old_story": "story older than the moderation limit",
    "abuse_word": "abuse word",
    "too_many_links": "too many links",
    "flagged": "flagged by members",
    "imported": "hidden at the source",
}
LINKS = re.compile(r"^(\d+) links \(more than (\d+)\)$")
FLAGGED = re.compile(r"^flagged by (\d+) members$", re.IGNORECASE)
SOURCE = re.compile(r"^(.+) on blogger$", re.IGNORECASE)


def parse(text):
    """Return the ``holds`` entries of an old ``hold_reason`` string."""
    holds = []
    for part in (text or "").split(SEPARATOR):
        part = part.strip()
        if not part:
            continue
        if part in FIXED:
            holds.append({"reason": FIXED[part]})
        elif part.startswith("abuse word: "):
            holds.append({"reason": "abuse_word", "detail": part.removeprefix("abuse word: ")})
        elif match := LINKS.match(part):
            holds.append({"reason": "too_many_links", "detail": f"{match[1]} (the limit is {match[2]})"})
        elif match := FLAGGED.match(part):
            holds.append({"reason": "flagged", "detail": match[1]})
        elif match := SOURCE.match(part):
            holds.append({"reason": "imported", "detail": f"{match[1][0].lower()}{match[1][1:]} on Blogger"})
        else:
            holds.append({"reason": "other", "detail": part})
    return holds


def unparse(holds):
    """Return the old ``hold_reason`` string of ``holds`` entries (for migrating backwards)."""
    texts = []
    for hold in holds or ():
        label, detail = LABELS.get(hold.get("reason"), ""), hold.get("detail", "")
        texts.append(f"{label}: {detail}" if label and detail else (label or detail))
    return SEPARATOR.join(texts)[:255]


def forwards(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    changed = []
    for comment in Comment.objects.exclude(hold_reason="").only("pk", "hold_reason").iterator(chunk_size=2000):
        comment.holds = parse(comment.hold_reason)
        changed.append(comment)
        if len(changed) == 2000:
            Comment.objects.bulk_update(changed, ["holds"])
            changed = []
    Comment.objects.bulk_update(changed, ["holds"])


def backwards(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    changed = []
    for comment in Comment.objects.only("pk", "holds").iterator(chunk_size=2000):
        if not comment.holds:
            continue
        comment.hold_reason = unparse(comment.holds)
        changed.append(comment)
    Comment.objects.bulk_update(changed, ["hold_reason"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_notification_kind_all"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="holds",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Why the comment is held: a list of {"reason": <HoldReason value>, "detail": text}.',
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="comment", name="hold_reason"),
    ]
