"""Draws ServiceBot's icons: the app icon (a white speech bubble on the dealer blue) and the
three tray icons (the same, with a state badge: green running, grey stopped, red error with a
bar). Drawn large and scaled down so they stay legible at 16x16. Run: python3 draw.py"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
BLUE = (31, 95, 168, 255)
WHITE = (255, 255, 255, 255)
STATES = {
    "running": (46, 157, 79, 255),
    "stopped": (138, 143, 152, 255),
    "error": (210, 59, 59, 255),
}
S = 256  # drawing size


def base() -> Image.Image:
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([8, 8, S - 8, S - 8], radius=52, fill=BLUE)
    # The bubble: a rounded body and a tail at the lower left.
    d.rounded_rectangle([44, 52, S - 44, 172], radius=34, fill=WHITE)
    d.polygon([(70, 160), (70, 214), (124, 166)], fill=WHITE)
    # Three dots: the bot is talking.
    for x in (92, 128, 164):
        d.ellipse([x - 14, 98, x + 14, 126], fill=BLUE)
    return img


def with_badge(img: Image.Image, colour, bar: bool) -> Image.Image:
    img = img.copy()
    d = ImageDraw.Draw(img)
    r, cx, cy = 62, S - 66, S - 66
    d.ellipse([cx - r - 12, cy - r - 12, cx + r + 12, cy + r + 12], fill=WHITE)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    if bar:
        d.rounded_rectangle([cx - 36, cy - 12, cx + 36, cy + 12], radius=8, fill=WHITE)
    return img


def save(img: Image.Image, name: str, size: int) -> None:
    img.resize((size, size), Image.LANCZOS).save(HERE / name)


icon = base()
save(icon, "icon.png", 256)
save(icon, "32x32.png", 32)
save(icon, "128x128.png", 128)
icon.save(HERE / "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (256, 256)])
for state, colour in STATES.items():
    badged = with_badge(icon, colour, bar=state == "error")
    # 32 px: the system scales it to the tray's size (16 or 24 px), legible at both.
    save(badged, f"tray-{state}.png", 32)
