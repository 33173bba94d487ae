"""Draws the installable app's icons (static/icons/) from the favicon's design: a white shield with a tick on the
product's blue. Run again after changing the design: `.venv/bin/python scripts/draw_app_icons.py`.

`maskable` icons keep the shield inside the central 80% circle a launcher may crop to (the blue fills the rest)."""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (13, 110, 253, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "static" / "icons"


def draw(size, *, maskable):
    scale = 4  # drawn large and scaled down, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BLUE)
        unit = big * 0.6 / 16  # the shield within the safe zone
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 3 // 16, fill=BLUE)
        unit = big / 16
    left = (big - 16 * unit) / 2

    def at(x, y):
        return (left + x * unit, left + y * unit)

    shield = [at(3.5, 4.3), at(8, 2.5), at(12.5, 4.3), at(12.5, 7.6), at(11.6, 10.6), at(8, 13.5), at(4.4, 10.6)]
    shield.append(at(3.5, 7.6))
    pen.polygon(shield, fill=WHITE)
    pen.line([at(5.6, 7.9), at(7.3, 9.6), at(10.5, 6.3)], fill=BLUE, width=max(2, int(unit * 1.2)), joint="curve")
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        draw(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
