import io

import pytest
import segno
from PIL import Image

from workshop.qr import qr_png, qr_svg

URL = "http://192.168.1.20:8501/?code=ACD379"


def modules_from_png(png: bytes, scale: int, border: int = 4):
    """Read the dark/light modules back out of the image."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    assert width == height
    n = width // scale - 2 * border
    return [
        [image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
         for x in range(n)]
        for y in range(n)
    ]


def test_png_encodes_the_link_itself():
    png = qr_png(URL, scale=10)
    expected = [[bool(v) for v in row] for row in segno.make(URL, error="m").matrix]
    assert modules_from_png(png, scale=10) == expected


def test_png_is_big_enough_to_project_and_differs_per_link():
    png = qr_png(URL)
    assert Image.open(io.BytesIO(png)).size[0] >= 300
    assert qr_png(URL.replace("ACD379", "XYQ467")) != png


def test_svg_is_an_svg_document():
    svg = qr_svg(URL).decode()
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_empty_link_is_refused():
    with pytest.raises(ValueError):
        qr_png("")
