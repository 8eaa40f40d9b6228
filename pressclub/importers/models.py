"""Import bookkeeping: which object each imported source entry became."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ImportSource(models.TextChoices):
    """Systems content is imported from."""

    BLOGGER = "blogger", "Blogger"
    WIRE = "wire", "Wire-story import"


class ImportedItemQuerySet(models.QuerySet):
    """Queries over import mappings."""

    def from_blogger(self):
        """Return mappings made by the Blogger import."""
        return self.filter(source=ImportSource.BLOGGER)


class ImportedItem(models.Model):
    """One imported entry and the object it became (a page, an author snippet, an image).

    ``source_id`` is the entry's id at the source (a Blogger entry id such as
    ``tag:blogger.com,1999:blog-1.post-2``, or ``author:<name>`` / ``image:<url>`` for the things an
    entry refers to; a wire story's lead image is ``wire-image:<url>`` with ``source`` "wire"); a
    second import finds the object through it and updates it instead of making a duplicate.
    ``old_path`` is the entry's URL path at the source (``/2013/02/agm-notes.html``), or for an
    image the URL it was copied from (the image's original URL).
    ``fingerprint`` is a digest of the imported fields: an unchanged entry is not written again.
    Comments are keyed by ``comments.Comment.source_id`` instead, so they need no row here.
    """

    source = models.CharField(max_length=16, choices=ImportSource.choices, default=ImportSource.BLOGGER)
    source_id = models.CharField(max_length=500, unique=True)
    kind = models.CharField(max_length=16, help_text="post, page, author or image")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    old_path = models.CharField(max_length=500, blank=True, db_index=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImportedItemQuerySet.as_manager()

    class Meta:
        verbose_name = "imported item"
        indexes = [models.Index(fields=["content_type", "object_id"])]
        permissions = [("import_content", "Can import Blogger exports and wire stories")]

    def __str__(self):
        return f"{self.get_source_display()} {self.kind} {self.source_id}"


class ImportRunStatus(models.TextChoices):
    """Where an import started from the admin is."""

    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Importing"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"
    # The worker stopped (killed, restarted) before the import ended; it may be run again.
    INTERRUPTED = "interrupted", "Interrupted"


class ImportRun(models.Model):
    """A Blogger import started from the admin, run by the task worker (``tasks.run_blogger_import``).

    ``export`` is the uploaded file (in the default storage, under ``imports/``; deleted once the import
    ends); ``done`` of ``total`` entries are imported so far; ``summary`` is the report's lines once it
    finished (``ImportReport.summary_lines``), ``error`` why it failed.
    """

    export = models.FileField(upload_to="imports/", max_length=500)
    filename = models.CharField(max_length=255)
    section = models.CharField(max_length=255, blank=True)
    dry_run = models.BooleanField(default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=ImportRunStatus.choices, default=ImportRunStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=list, blank=True)
    warnings = models.BooleanField(default=False, help_text="Some entries were skipped.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.filename} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        """Return True while the import waits or runs (its page then refreshes itself)."""
        return self.status in (ImportRunStatus.QUEUED, ImportRunStatus.RUNNING)

    @property
    def percent(self) -> int:
        """Return the share of entries done, 0–100."""
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def can_rerun(self) -> bool:
        """Return True when the import was interrupted and its uploaded file is still kept."""
        return self.status == ImportRunStatus.INTERRUPTED and bool(self.export) and self.export.storage.exists(
            self.export.name
        )
