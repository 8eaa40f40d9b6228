"""The admin's image upload form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): a damaged file is refused.

Wagtail reads only an uploaded image's header before saving it, so a truncated or corrupt JPEG or
PNG passed its form and then failed with a server error when its size and renditions were worked
out. Here the whole image is decoded once in the form's validation (Pillow), and a file that does
not decode gets a message on the form, in the single and the multiple uploader alike.
"""

from copy import copy

from django import forms
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

DAMAGED_IMAGE = (
    "This image file is damaged or incomplete (perhaps the upload or the copy was cut short). "
    "Open it on your computer to check it, or export it again, then upload the new file."
)


def image_decodes(file) -> bool:
    """Return True if Pillow decodes the whole of ``file`` (an uploaded file, read from its start).

    Formats Pillow does not know (SVG) count as decoding: Wagtail's own checks judge them.
    The file is rewound afterwards.
    """
    try:
        file.seek(0)
        with PILImage.open(file) as image:
            image.load()
        return True
    except UnidentifiedImageError:
        return True
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        return False
    finally:
        file.seek(0)


class CheckedImageField(WagtailImageField):
    """Wagtail's image file field, refusing a file that does not decode to the end.

    It also takes ``.heif`` as a name for a HEIC file: Willow calls both formats "heic", and
    Wagtail compares the extension with that name, so ``IMG_0042.heif`` from a phone or a photo app
    was refused as "not a valid heif image".
    """

    def check_image_file_format(self, f):
        """Check the extension against the format as Wagtail does, ``.heif`` counting as ``.heic``."""
        stem, dot, extension = f.name.rpartition(".")
        if dot and extension.lower() == "heif" and "heif" in self.allowed_image_extensions:
            renamed = copy(f)
            renamed.name = f"{stem}.heic"
            return super().check_image_file_format(renamed)
        return super().check_image_file_format(f)

    def to_python(self, data):
        """Return the uploaded file as Wagtail does; raise ValidationError ``DAMAGED_IMAGE`` when
        Pillow fails on it (Wagtail's own size check reads the pixels and raised OSError)."""
        try:
            file = super().to_python(data)
        except (OSError, SyntaxError, ValueError) as error:
            raise forms.ValidationError(DAMAGED_IMAGE, code="damaged_image") from error
        if file is not None and not image_decodes(file):
            raise forms.ValidationError(DAMAGED_IMAGE, code="damaged_image")
        return file


class ImageForm(BaseImageForm):
    """Wagtail's image form (single and multiple uploader), its file field a :class:`CheckedImageField`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # Wagtail builds the field with its own arguments; only its validation changes here.
        if type(field) is WagtailImageField:
            field.__class__ = CheckedImageField
            if "heic" in field.widget.attrs.get("accept", ""):
                field.widget.attrs["accept"] += ", image/heif"
