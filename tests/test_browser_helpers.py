"""The pixel helpers of tests/browser.py on synthetic images (no browser needed)."""
from __future__ import annotations

import io

import numpy as np
import pytest

from browser import changed_fraction, colour_mask, count_colour, crop, image, is_blank, top_colours


def png_of(arr: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(arr.astype(np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def picture() -> np.ndarray:
    a = np.full((40, 60, 3), 255, dtype=np.uint8)
    a[10:20, 5:25] = (0xff, 0xd5, 0x4f)        # a 10x20 highlight box
    a[30:32, 40:50] = (0x80, 0x80, 0x80)       # a grey line
    return a


def test_decode_count_and_crop(picture: np.ndarray) -> None:
    img = image(png_of(picture))
    assert img.shape == (40, 60, 3) and img.dtype == np.uint8
    assert count_colour(img, "#ffd54f") == 200
    assert count_colour(img, (0xff, 0xd5, 0x4f)) == 200
    assert count_colour(crop(img, (5, 10, 20, 10)), "#ffd54f") == 200
    assert count_colour(crop(img, (30, 0, 30, 40)), "#ffd54f") == 0
    assert crop(img, (-5, -5, 1000, 1000)).shape == img.shape            # clipped, not an error
    assert count_colour(img, "#ffdd55", tol=10) == 200 and count_colour(img, "#ffdd55", tol=2) == 0
    assert colour_mask(img, "#808080")[31, 45]
    assert top_colours(img, 2) == [("#ffffff", 40 * 60 - 220), ("#ffd54f", 200)]


def test_blank_and_changed(picture: np.ndarray) -> None:
    blank = np.full_like(picture, 255)
    assert is_blank(blank) and not is_blank(picture)
    assert changed_fraction(picture, picture) == 0.0
    assert changed_fraction(blank, picture) == pytest.approx(220 / 2400)
    with pytest.raises(ValueError, match="#rrggbb"):
        count_colour(picture, "yellow")
