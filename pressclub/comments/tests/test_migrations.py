"""The migration that turned "; "-joined hold reasons into typed ``Comment.holds`` entries."""

import importlib

import pytest

from pressclub.comments.models import Hold, HoldReason, holds_from_json

holds_migration = importlib.import_module("pressclub.comments.migrations.0005_comment_holds")


@pytest.mark.parametrize(
    "old, holds",
    [
        ("", []),
        ("first comment", [Hold(HoldReason.FIRST_COMMENT)]),
        ("e-mail address not confirmed; abuse word: मूर्ख; 3 links (more than 2)",
         [Hold(HoldReason.EMAIL_UNCONFIRMED), Hold(HoldReason.ABUSE_WORD, "मूर्ख"),
          Hold(HoldReason.TOO_MANY_LINKS, "3 (the limit is 2)")]),
        ("every comment is moderated", [Hold(HoldReason.EVERY_COMMENT)]),
        ("story older than the moderation limit", [Hold(HoldReason.OLD_STORY)]),
        ("flagged by 4 members", [Hold(HoldReason.FLAGGED, "4")]),
        ("Content removed on Blogger", [Hold(HoldReason.IMPORTED, "content removed on Blogger")]),
        ("Marked as spam on Blogger", [Hold(HoldReason.IMPORTED, "marked as spam on Blogger")]),
        ("held by hand", [Hold(HoldReason.OTHER, "held by hand")]),
    ],
)
def test_old_hold_reason_strings_become_typed_holds(old, holds):
    assert list(holds_from_json(holds_migration.parse(old))) == holds


def test_typed_holds_read_back_as_the_old_text():
    stored = holds_migration.parse("e-mail address not confirmed; abuse word: moron")
    assert holds_migration.unparse(stored) == "e-mail address not confirmed; abuse word: moron"
    assert holds_from_json([{"reason": "retired_reason"}]) == (Hold(HoldReason.OTHER, "retired_reason"),)
