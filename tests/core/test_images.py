"""Re-encoding keeps the pixels and nothing else a file can carry."""

import io

import pytest
from PIL import Image, PngImagePlugin

from core.images import reencode, upright


def with_metadata(fmt, mode="RGB", size=(40, 30)):
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    extra = {"exif": exif}
    if fmt == "JPEG":
        extra["comment"] = b"Secret comment"
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "Secret comment")
        extra["pnginfo"] = text
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 100, 50)).save(buffer, fmt, **extra)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_reencoded_image_keeps_no_exif_and_no_comment(fmt):
    source = with_metadata(fmt)
    assert b"Secret" in source.getvalue()

    with Image.open(source) as image:
        output = reencode(image, fmt)

    assert b"Secret" not in output.getvalue()
    with Image.open(output) as stored:
        assert stored.format == fmt
        assert stored.size == (40, 30)
        assert not stored.getexif()


def test_reencoded_palette_png_keeps_its_transparency():
    image = Image.new("P", (2, 1))
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.putpixel((1, 0), 1)
    image.info["transparency"] = 0

    with Image.open(reencode(image, "PNG")) as stored:
        rgba = stored.convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0
        assert rgba.getpixel((1, 0)) == (0, 0, 255, 255)


def test_upright_turns_the_image_as_its_exif_orientation_says():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, "JPEG", exif=exif)

    with Image.open(buffer) as image:
        assert upright(image).size == (30, 40)
