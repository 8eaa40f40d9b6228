#!/usr/bin/env python
"""Measure a 12-megapixel phone photo through the image library: upload time and bytes per rendition.

Builds a photo-like 4032×3024 picture in code (smooth light, edges and fine grain, so it
compresses like a photo rather than like noise or flat colour), with GPS and camera EXIF and
orientation 6, as JPEG (quality 92) and as HEIC, stores each as a Wagtail image (test settings,
in-memory storage, in-memory SQLite) and prints: the upload's bytes, the stored original's bytes,
the seconds the metadata strip took, and the bytes of every reader rendition (AVIF, WebP, JPEG at
``core.renditions.READER_WIDTHS``) with the seconds each format took.

    .venv/bin/python bench/photo_renditions.py
"""

import os
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from PIL import ImageFilter  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from pressclub.core.images import image_bytes_clean  # noqa: E402
from pressclub.core.renditions import READER_FORMATS, READER_WIDTHS  # noqa: E402
from pressclub.testing.photos import phone_exif  # noqa: E402

SIZE = (4032, 3024)  # 12 megapixels, a phone camera's default


def photo_like(size=SIZE) -> PILImage.Image:
    """Return an RGB picture of ``size`` with gradients, shapes and grain, photo-like to an encoder."""
    small = PILImage.effect_mandelbrot((size[0] // 8, size[1] // 8), (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    image = small.resize(size, PILImage.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    grain = PILImage.effect_noise(size, 12).convert("RGB")
    return PILImage.blend(image, grain, 0.12)


def encode(image, fmt, **options) -> bytes:
    out = BytesIO()
    image.save(out, fmt, exif=phone_exif(orientation=6), **options)
    return out.getvalue()


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    picture = photo_like()
    Image = get_image_model()
    for fmt, ext, options in (("JPEG", "jpg", {"quality": 92}), ("HEIF", "heic", {"quality": 85})):
        data = encode(picture, fmt, **options)
        started = time.perf_counter()
        image_bytes_clean(data)
        strip = time.perf_counter() - started
        image = Image(title=f"12 MP {ext}", file=SimpleUploadedFile(f"photo.{ext}", data))
        image.save()
        print(f"{fmt} upload {len(data):,} B; stored original {image.file_size:,} B "
              f"({image.width}×{image.height}); metadata strip {strip:.2f} s")
        for out_fmt in READER_FORMATS:
            started = time.perf_counter()
            found = image.get_renditions(*(f"width-{w}|format-{out_fmt}" for w in READER_WIDTHS))
            took = time.perf_counter() - started
            sizes = ", ".join(f"{r.width}w {r.file.size:,} B" for r in found.values())
            print(f"  {out_fmt:5} {sizes}  ({took:.1f} s)")


if __name__ == "__main__":
    main()
