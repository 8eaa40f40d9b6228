"""What a Blogger import did: the report returned by the import and printed at its end."""

from __future__ import annotations

from dataclasses import dataclass, field

from .parser import BloggerBlog, BloggerPage, BloggerPost


class BloggerImportError(Exception):
    """The import cannot start (no front page to put the archive under, an unknown section …)."""


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do). Counts are of entries in the export.

    ``posts``/``pages`` count every post/page imported or already up to date; ``drafts`` those of
    them not live; ``created``/``updated``/``unchanged`` split posts and pages by what happened;
    ``labels`` is the number of distinct labels (after merging) on the imported posts,
    ``label_links`` the post–label links; ``comments`` counts comments shown to readers (approved),
    ``hidden_comments`` the ones kept out of sight (spam, ghosted, removed), ``replies`` the comments
    threaded under another; ``orphan_replies`` the ids of replies whose parent was missing (made
    top-level); ``redirects`` the old URLs that now redirect; ``skipped`` lists ``(id, reason)``;
    ``ignored`` counts entries that are not content by kind (settings, template, and unknown kinds, which
    ``skipped`` also names with their id); drafts holding only Blogger's template placeholders are in
    ``skipped``; ``removed_embeds`` lists
    ``(post id, src)`` of iframes the allow-list dropped; ``unclosed_tags`` lists ``(entry id, tag)``
    of raw-text elements (``script``, ``style``, ``textarea``, ``plaintext``, ``noscript`` …),
    iframes or comments (``"!--"``) left open in a body, made harmless so that the text after them is kept.
    """

    blog: BloggerBlog | None = None
    dry_run: bool = False
    posts: int = 0
    pages: int = 0
    drafts: int = 0
    drafts_posts: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    labels: int = 0
    label_links: int = 0
    authors: int = 0
    comments: int = 0
    hidden_comments: int = 0
    replies: int = 0
    comments_created: int = 0
    comments_updated: int = 0
    redirects: int = 0
    images: int = 0
    orphan_replies: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)
    removed_embeds: list[tuple[str, str]] = field(default_factory=list)
    unclosed_tags: list[tuple[str, str]] = field(default_factory=list)

    def count_entry(
        self, entry: BloggerPost, *, action: str, label_links: int, removed: list[str], unclosed: list[str] = ()
    ) -> None:
        """Count a post or page entry that was written or left as it was: ``action`` is the name
        of the counter (``"created"``, ``"updated"`` or ``"unchanged"``), ``label_links`` its number
        of labels, ``removed`` the ``src`` of the players dropped from its body, ``unclosed`` the
        raw-text elements left open in it."""
        setattr(self, action, getattr(self, action) + 1)
        self.label_links += label_links
        self.removed_embeds.extend((entry.id, src) for src in removed)
        self.unclosed_tags.extend((entry.id, tag) for tag in unclosed)
        if isinstance(entry, BloggerPage):
            self.pages += 1
        else:
            self.posts += 1
            if not entry.is_live:
                self.drafts_posts += 1
        if not entry.is_live:
            self.drafts += 1
        if entry.is_live and entry.path:
            self.redirects += 1

    def summary_lines(self) -> list[str]:
        """Return the report as short lines of text, for the command and the admin page."""
        lines = [
            f"Posts: {self.posts} ({self.posts - self.drafts_posts} live, {self.drafts_posts} not live)",
            f"Pages: {self.pages}",
            f"Drafts (not published): {self.drafts}",
            f"Created: {self.created}, updated: {self.updated}, unchanged: {self.unchanged}",
            f"Labels: {self.labels} ({self.label_links} post links)",
            f"Authors: {self.authors}",
            f"Comments shown: {self.comments} (replies among all comments: {self.replies})",
            f"Comments kept hidden (spam, removed): {self.hidden_comments}",
            f"Redirects from old URLs: {self.redirects}",
        ]
        if self.images:
            lines.append(f"Images copied into the media library: {self.images}")
        for kind, count in sorted(self.ignored.items()):
            lines.append(f"Skipped {kind} entries: {count}")
        if self.orphan_replies:
            lines.append(f"Replies whose parent comment is missing (now top-level): {len(self.orphan_replies)}")
            lines.extend(f"  {entry_id}" for entry_id in self.orphan_replies)
        if self.removed_embeds:
            lines.append(f"Embedded players removed (unknown provider): {len(self.removed_embeds)}")
            lines.extend(f"  {entry_id}: {src}" for entry_id, src in self.removed_embeds)
        if self.unclosed_tags:
            lines.append(
                f"Unclosed tags removed from bodies (the text after them was kept): {len(self.unclosed_tags)}"
            )
            lines.extend(f"  {entry_id}: <{tag}{'' if tag == '!--' else '>'}" for entry_id, tag in self.unclosed_tags)
        lines.append(f"Skipped entries: {len(self.skipped)}")
        lines.extend(f"  {entry_id}: {reason}" for entry_id, reason in self.skipped)
        return lines
