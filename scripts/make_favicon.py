"""Draws kb/static/kb/icons/favicon.ico (16, 32 and 48 px), the same open book as
favicon.svg, with Pillow (which Wagtail's images need anyway). Run it after changing the
design: `.venv/bin/python scripts/make_favicon.py`."""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND, WHITE, LIGHT = "#0b4f71", "#ffffff", "#cfe3ee"
OUT = Path(__file__).resolve().parent.parent / "kb/static/kb/icons/favicon.ico"


def draw(size: int) -> Image.Image:
    scale = size / 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle([0, 0, size - 1, size - 1], radius=12 * scale, fill=BRAND)

    def points(*xy):
        return [(x * scale, y * scale) for x, y in xy]

    pen.polygon(points((12, 18), (32, 19), (32, 49), (12, 48)), fill=WHITE)
    pen.polygon(points((52, 18), (32, 19), (32, 49), (52, 48)), fill=LIGHT)
    return image


if __name__ == "__main__":
    draw(48).save(OUT, sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"Wrote {OUT}")
