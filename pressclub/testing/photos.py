"""Phone-like photos built in code: EXIF with a GPS position, camera make and model, an orientation.

Tests of the image library and the page-weight bench use them; nothing is read from disk.
"""

from io import BytesIO

from PIL import ExifTags
from PIL import Image as PILImage

CAMERA_MAKE = "PhoneMaker"
CAMERA_MODEL = "Pocket 12"
# Degrees, minutes, seconds: a hill town's position, the data a source must not leak.
GPS_LATITUDE = (27.0, 42.0, 19.0)
GPS_LONGITUDE = (85.0, 19.0, 7.0)


def phone_exif(*, orientation: int = 6) -> bytes:
    """Return an EXIF block (bytes, TIFF layout) with a GPS position, a camera, and ``orientation``.

    ``orientation`` is the EXIF Orientation tag (1 upright; 6 means "turn 90° clockwise to view",
    what a phone held upright writes).
    """
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: GPS_LONGITUDE,
        }
    )
    return exif.tobytes()


def phone_photo(fmt: str = "JPEG", *, size: tuple[int, int] = (64, 32), orientation: int = 6,
                noise: bool = False, **options) -> bytes:
    """Return a photo file (bytes) in Pillow format ``fmt`` ("JPEG", "HEIF", "PNG", "WEBP", "AVIF").

    The stored pixels are ``size`` (width, height): the left half blue, the right half red, so a
    test can tell which way up it is; ``noise=True`` adds grain so that it compresses like a photo.
    It carries ``phone_exif(orientation=...)`` and an XMP packet naming the position.
    """
    width, height = size
    image = PILImage.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))
    if noise:
        grain = PILImage.effect_noise(size, 40).convert("RGB")
        image = PILImage.blend(image, grain, 0.35)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>27,42.3N</exif:GPSLatitude></x:xmpmeta>'
    if fmt == "PNG":  # PNG keeps XMP in an iTXt chunk
        from PIL.PngImagePlugin import PngInfo

        options["pnginfo"] = PngInfo()
        options["pnginfo"].add_itxt("XML:com.adobe.xmp", xmp.decode())
    else:
        options["xmp"] = xmp
    out = BytesIO()
    image.save(out, fmt, exif=phone_exif(orientation=orientation), **options)
    return out.getvalue()


def photo_metadata(data: bytes) -> dict:
    """Return what a file tells about where and with what it was taken.

    ``{"size": (w, h), "format": str, "exif": {tag: value}, "gps": {tag: value}, "xmp": bool,
    "top": (r, g, b), "bottom": (r, g, b)}``: top and bottom are pixels of the middle column, a
    tenth in from each edge, as a viewer shows the file (its orientation tag ignored).
    """
    with PILImage.open(BytesIO(data)) as image:
        image.load()
        exif = image.getexif()
        rgb = image.convert("RGB")
        w, h = rgb.size
        return {
            "size": image.size,
            "format": image.format,
            "exif": dict(exif),
            "gps": dict(exif.get_ifd(ExifTags.IFD.GPSInfo)),
            "xmp": bool(image.info.get("xmp")) or b"GPSLatitude" in data,
            "top": rgb.getpixel((w // 2, h // 10)),
            "bottom": rgb.getpixel((w // 2, h - 1 - h // 10)),
        }
