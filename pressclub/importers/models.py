"""Import bookkeeping: which object each imported source entry became."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportSource(models.TextChoices):
    """Systems content is imported from."""

    BLOGGER = "blogger", "Blogger"


class ImportedItemQuerySet(models.QuerySet):
    """Queries over import mappings."""

    def from_blogger(self):
        """Return mappings made by the Blogger import."""
        return self.filter(source=ImportSource.BLOGGER)


class ImportedItem(models.Model):
    """One imported entry and the object it became (a page, an author snippet, an image).

    ``source_id`` is the entry's id at the source (a Blogger entry id such as
    ``tag:blogger.com,1999:blog-1.post-2``, or ``author:<name>`` / ``image:<url>`` for the things an
    entry refers to); a second import finds the object through it and updates it instead of making
    a duplicate. ``old_path`` is the entry's URL path at the source (``/2013/02/agm-notes.html``).
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
