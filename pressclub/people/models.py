"""Authors: the people whose names stand in bylines."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from pressclub.core.text import slugify, validate_unicode_slug


class AuthorQuerySet(models.QuerySet):
    """Queries over authors."""

    def with_articles(self):
        """Return authors that have at least one byline (any status), without duplicates."""
        return self.filter(article_links__isnull=False).distinct()


class Author(index.Indexed, models.Model):
    """A byline: a reporter, columnist, photographer or wire correspondent.

    Not a user account: an author may have none (wire correspondents, imported Blogger authors).
    ``slug`` is Unicode and unique; it is filled from ``name`` when left empty.
    """

    name = models.CharField(max_length=255)
    slug = models.CharField(max_length=255, unique=True, blank=True, validators=[validate_unicode_slug])
    role = models.CharField(max_length=255, blank=True, help_text="e.g. Staff reporter, Hills correspondent")
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="author"
    )

    objects = AuthorQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo"), FieldPanel("user")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name, fallback="author")
            slug, n = base, 1
            while Author.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Return the author page, ``/authors/<slug>/``."""
        return reverse("author_detail", kwargs={"slug": self.slug})


register_snippet(Author)
