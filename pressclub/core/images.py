"""Uploaded photos made safe to publish: orientation applied, location and camera metadata removed.

A phone photo carries EXIF (GPS position, camera make and serial, time taken) and often XMP and
IPTC blocks. Wagtail keeps the uploaded file as the original and Willow copies EXIF into JPEG and
WebP renditions, so a source's whereabouts would reach every reader. Every new image file is
re-encoded here, before it is stored, without those blocks; only the colour profile (ICC) stays.
The EXIF orientation is applied to the pixels first, so the picture stands the right way up
without the tag. HEIC/HEIF files (iPhones) are read through pillow-heif, which Willow registers,
and stored as JPEG: encoding a 12-megapixel HEIC again takes about a minute of CPU (x265), a JPEG
about a second, and every reader's rendition is AVIF, WebP or JPEG anyway.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

# Pillow format name → save options. AVIF and WebP are Pillow's own writers. Qualities are high:
# this is the original every rendition is cut from.
_SAVE_OPTIONS = {
    "JPEG": {"quality": 92, "optimize": True},
    "PNG": {"optimize": False},
    "WEBP": {"quality": 92},
    "AVIF": {"quality": 90},
}
# Formats stored as another: Pillow format read → Pillow format written, and its file extension.
_STORED_AS = {"HEIF": "JPEG"}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
_EXTENSION_ALIASES = {"JPEG": {"jpg", "jpeg"}, "PNG": {"png"}, "WEBP": {"webp"}, "AVIF": {"avif"}}
# JPEG application segments that hold no personal data: JFIF header, ICC profile, Adobe colour flag.
_HARMLESS_JPEG_MARKERS = {"APP0", "APP2", "APP14"}
# Keys of Image.info that carry metadata about the photo or its maker.
_METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "photoshop", "iptc", "comment", "Comment", "Description"}


class ImageMetadataError(ValueError):
    """The file could not be read as a still image of a supported format."""


def image_needs_cleaning(image: PILImage.Image) -> bool:
    """Return True when an opened Pillow image carries EXIF, XMP, IPTC, comments or text chunks."""
    if image.format == "JPEG":
        return any(marker not in _HARMLESS_JPEG_MARKERS for marker, _ in getattr(image, "applist", []))
    if any(image.info.get(key) for key in _METADATA_KEYS):
        return True
    if image.format == "PNG" and getattr(image, "text", None):
        return True
    return bool(image.getexif())


def image_bytes_clean(data: bytes) -> tuple[bytes, str] | None:
    """Return ``(file bytes, Pillow format)``: ``data`` upright, without metadata; None if already clean.

    ``data`` is a whole image file (JPEG, PNG, WebP, HEIC/HEIF, AVIF or GIF); it is written again in
    its own format, except HEIC/HEIF, always written as JPEG. A GIF or an animated image keeps every
    frame, its timing and its loop count and loses only its comments, EXIF and XMP (its orientation
    is left as it is). Formats outside that list are returned as None. Raise ImageMetadataError when
    Pillow cannot read the file.
    """
    try:
        image = PILImage.open(BytesIO(data))
        image.load()
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's errors for unreadable files
        raise ImageMetadataError(f"The image file could not be read: {exc}") from exc
    if image.format == "GIF" or getattr(image, "is_animated", False):
        return _animation_clean(image)
    fmt = _STORED_AS.get(image.format, image.format)
    if fmt not in _SAVE_OPTIONS:
        return None
    if fmt == image.format and not image_needs_cleaning(image):
        return None
    icc_profile = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)  # a copy with the orientation applied to the pixels
    upright.info = {}
    options = dict(_SAVE_OPTIONS[fmt])
    if icc_profile:
        options["icc_profile"] = icc_profile
    if fmt == "PNG" and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    out = BytesIO()
    upright.save(out, fmt, exif=b"", **options)
    return out.getvalue(), fmt


def _animation_clean(image: PILImage.Image) -> tuple[bytes, str] | None:
    """Return a GIF's or an animated image's bytes without comments, EXIF and XMP; None if clean.

    Every frame is written again with its duration, disposal and the loop count (Pillow's
    ``save_all``); the blocks are dropped by saving them empty, since each frame read brings the
    first frame's comment back into ``info``.
    """
    fmt = image.format
    if fmt not in ("GIF", "WEBP", "PNG", "AVIF"):
        return None
    if not image_needs_cleaning(image):
        return None
    out = BytesIO()
    options = {"save_all": True, "xmp": b""}
    if fmt == "GIF":
        options["comment"] = b""
    else:
        options["exif"] = b""
    if fmt in _SAVE_OPTIONS and fmt != "PNG":
        options.update(_SAVE_OPTIONS[fmt])
    durations = []
    for number in range(getattr(image, "n_frames", 1)):
        image.seek(number)
        image.load()  # WebP and AVIF set a frame's duration when it is decoded
        durations.append(image.info.get("duration", 0))
    image.seek(0)
    if len(durations) > 1:
        options["duration"] = durations  # WebP would otherwise give every frame the first one's
    image.info = {key: value for key, value in image.info.items() if key not in _METADATA_KEYS}
    image.save(out, fmt, **options)
    return out.getvalue(), fmt


def image_file_clean(image) -> bool:
    """Replace a Wagtail image's newly assigned file with its clean copy; return True if replaced.

    ``image`` is a Wagtail image (``wagtail.images.models.AbstractImage``) about to be saved. Only
    a file not yet in storage (an upload, an import) is read; width, height, file size and hash
    are set again from the clean file, and a HEIC file's name ends in ".jpg" from then on.
    Raise ImageMetadataError for an unreadable file.
    """
    field_file = image.file
    if not field_file or getattr(field_file, "_committed", True):
        return False
    field_file.open("rb")
    field_file.seek(0)
    data = field_file.read()
    field_file.seek(0)
    cleaned = image_bytes_clean(data)
    if cleaned is None:
        return False
    cleaned_data, fmt = cleaned
    name = field_file.name.rsplit("/", 1)[-1]
    stem, _, extension = name.rpartition(".")
    if extension.lower() not in _EXTENSION_ALIASES[fmt]:
        name = f"{stem or extension}.{_EXTENSIONS[fmt]}"
    image.file = ContentFile(cleaned_data, name=name)  # Django's ImageField sets width and height again
    image._set_image_file_metadata()
    return True


def use_avif_speed(speed: int) -> None:
    """Make Pillow's AVIF writer (every AVIF rendition Wagtail makes through Willow) encode at
    libavif ``speed`` (0 slowest and smallest … 10 fastest; Pillow's default is 6).

    Willow has no option for it, and its ``save_as_avif`` may hand Pillow another image than its
    own (a CMYK image with an ICC profile is converted to sRGB first). So Pillow's registered AVIF
    save handler (``PIL.Image.SAVE["AVIF"]``, what ``Image.save(f, "AVIF")`` calls) is wrapped: it
    gives the image's ``encoderinfo`` (the save's options, a dict made for that one save) this
    ``speed`` unless the save named one itself. Quality and colour handling stay Willow's.
    Multi-frame saves (``save_all=True``, as uploads are cleaned by :func:`image_bytes_clean`) go
    through ``SAVE_ALL`` and keep Pillow's default. Nothing is done where Pillow lacks AVIF.
    Renditions are made once (at publishing, by the worker), so a slower encoder costs once and
    saves bytes on every view: at speed 4 a 192 × 144 thumbnail is ~3 % smaller than at 6.
    Calling it again replaces the speed (the latest wrapper sets it first)."""
    from PIL import AvifImagePlugin, Image

    # Imported above, so the plugin's own registration cannot come later and replace the wrapper.
    if not AvifImagePlugin.SUPPORTED:
        return
    save = Image.SAVE["AVIF"]

    def save_avif(im, fp, filename):
        im.encoderinfo.setdefault("speed", speed)
        return save(im, fp, filename)

    Image.register_save("AVIF", save_avif)
