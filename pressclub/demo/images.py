"""Draw the demo's lead images locally with Pillow: a sky gradient, layered hills, a sun, and a caption band."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 675


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_lead_image(*, seed: str, scene: str, section: str, colours: tuple[str, str]) -> bytes:
    """Return a 1200×675 JPEG (bytes, typically 30–60 KB) for a story.

    ``seed`` (the story's slug) makes the drawing repeatable; ``scene`` and ``section`` are written
    on it in Latin script (Pillow's bundled font has no Devanagari or Bengali); ``colours`` are the
    sky's top and bottom as ``"#rrggbb"``.
    """
    rng = random.Random(seed)
    top, bottom = _rgb(colours[0]), _rgb(colours[1])

    # Sky: a vertical gradient from a 1-pixel-wide strip, stretched.
    strip = Image.new("RGB", (1, HEIGHT))
    for y in range(HEIGHT):
        strip.putpixel((0, y), _mix(top, bottom, y / (HEIGHT - 1)))
    image = strip.resize((WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)

    sun_x, sun_y, r = rng.randint(150, WIDTH - 150), rng.randint(90, 220), rng.randint(45, 80)
    draw.ellipse((sun_x - r, sun_y - r, sun_x + r, sun_y + r), fill=_mix(top, (255, 250, 235), 0.7))

    # Three ridges, darker towards the front.
    for layer in range(3):
        base = 300 + layer * 110
        shade = _mix(bottom, (20, 30, 25), 0.35 + layer * 0.2)
        points = [(0, HEIGHT)]
        x, y = 0, base + rng.randint(-40, 40)
        while x <= WIDTH:
            points.append((x, y))
            x += rng.randint(60, 140)
            y = max(180, min(HEIGHT - 60, y + rng.randint(-70, 70)))
        points += [(WIDTH, y), (WIDTH, HEIGHT)]
        draw.polygon(points, fill=shade)

    # A caption band with the scene and the section.
    draw.rectangle((0, HEIGHT - 110, WIDTH, HEIGHT), fill=(18, 24, 28))
    big, small = ImageFont.load_default(size=46), ImageFont.load_default(size=24)
    draw.text((48, HEIGHT - 92), scene, fill=(255, 255, 255), font=big)
    draw.text((50, HEIGHT - 38), f"VALLEY PRESS CLUB  ·  {section.upper()}", fill=(200, 200, 200), font=small)

    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()
