"""The icon check reads plain PNGs itself and says exactly what Pillow says about every icon.

icon_problem() vouches for a plain PNG of the right size without importing Pillow
(review_bundle's start-up); everything else goes to Pillow. These tests hold the two
to the same answers on good icons, damaged ones and ones that are not plain.
"""

import io
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from connectors.bundle import ICONS
from connectors.bundle.completeness import PNG_MODES, _plain_png_size, _problem_by_pillow, icon_problem

ROOT = Path(__file__).resolve().parents[2]
KEY = "icon_with_background"
PATH, WIDTH, HEIGHT = ICONS[KEY]


def png(mode="RGBA", size=(WIDTH, HEIGHT), **params):
    buffer = io.BytesIO()
    colour = 1 if mode == "1" else 3 if mode in ("L", "P", "I;16") else (10, 20, 30, 40)[:len(mode)]
    Image.new(mode, size, colour).save(buffer, "PNG", **params)
    return buffer.getvalue()


def same_as_pillow(data):
    assert icon_problem(KEY, data, subject=PATH) == _problem_by_pillow(PATH, WIDTH, HEIGHT, data)


def chunk(cid, body):
    return len(body).to_bytes(4, "big") + cid + body + zlib.crc32(body, zlib.crc32(cid)).to_bytes(4, "big")


PLAIN = png()


def test_a_plain_png_is_read_without_pillow():
    assert _plain_png_size(PLAIN) == (WIDTH, HEIGHT) and icon_problem(KEY, PLAIN) is None
    for key, (path, width, height) in ICONS.items():
        sample = (ROOT / "demo" / "bundles" / "sales-crm" / path).read_bytes()
        assert _plain_png_size(sample) == (width, height) and icon_problem(key, sample) is None
    code = ("import sys; from connectors.bundle import missing_parts, read_bundle\n"
            "assert missing_parts(read_bundle('demo/bundles/sales-crm')) == []\n"
            "print('PIL' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.parametrize("mode", ["1", "L", "P", "RGB", "RGBA", "LA", "I;16"])
def test_every_colour_mode_gets_pillows_answer(mode):
    same_as_pillow(png(mode))
    same_as_pillow(png(mode, (WIDTH, HEIGHT + 1)))


@pytest.mark.parametrize("params", [{"dpi": (72, 72)}, {"optimize": True}, {"compress_level": 0},
                                    {"pnginfo": PngImagePlugin.PngInfo()}, {"icc_profile": b"not a profile"}])
def test_pngs_with_other_chunks_get_pillows_answer(params):
    if "pnginfo" in params:
        params["pnginfo"].add_text("Software", "test")
    same_as_pillow(png(**params))


def test_every_truncation_gets_pillows_answer():
    for end in range(len(PLAIN) + 1):
        same_as_pillow(PLAIN[:end])


def test_every_damaged_byte_gets_pillows_answer():
    for at in range(len(PLAIN)):
        for flip in (0x01, 0x80):
            same_as_pillow(PLAIN[:at] + bytes([PLAIN[at] ^ flip]) + PLAIN[at + 1:])


def test_odd_but_well_formed_chunk_streams_get_pillows_answer():
    signature, ihdr_end = PLAIN[:8], 8 + 25
    ihdr, rest = PLAIN[8:ihdr_end], PLAIN[ihdr_end:]
    idat_end = rest.index(b"IEND") - 4
    idat, iend = rest[:idat_end], rest[idat_end:]
    header = ihdr[8:21]
    cases = [
        signature + ihdr + iend,  # no image data
        signature + idat + ihdr + idat + iend,  # image data first
        signature + ihdr + idat + chunk(b"tEXt", b"k\0v") + iend,  # text after the image data
        signature + ihdr + idat + chunk(b"t_Xt", b"k\0v") + iend,  # an odd chunk name after it
        signature + ihdr + idat + chunk(b"t Xt", b"k\0v") + iend,  # not a chunk name
        signature + ihdr + chunk(b"pHYs", b"\0") + idat + iend,  # a broken chunk before it
        signature + ihdr + idat + idat + iend + b"trailing bytes",
        signature + ihdr + idat + iend[:-4],  # IEND without its CRC
        signature + chunk(b"IHDR", header + b"\0") + idat + iend,  # a longer header
        signature + chunk(b"IHDR", header[:12]) + idat + iend,  # a shorter one
    ]
    for depth in range(18):
        for colour in range(8):
            cases.append(signature + chunk(b"IHDR", header[:8] + bytes([depth, colour]) + header[10:]) + idat + iend)
    cases.append(signature + chunk(b"IHDR", header[:11] + b"\1\0") + idat + iend)  # unknown filter method
    cases.append(signature + chunk(b"IHDR", header[:12] + b"\1") + idat + iend)  # interlaced
    cases.append(signature + chunk(b"IHDR", bytes(8) + header[8:]) + idat + iend)  # 0x0
    for case in cases:
        same_as_pillow(case)
    assert len(PNG_MODES) == len(PngImagePlugin._MODES) and PNG_MODES == set(PngImagePlugin._MODES)


def test_images_that_are_not_pngs_get_pillows_answer():
    for kind in ("JPEG", "GIF", "BMP"):
        buffer = io.BytesIO()
        Image.new("RGB", (WIDTH, HEIGHT)).save(buffer, kind)
        same_as_pillow(buffer.getvalue())
    for data in (b"", b"not an image", b"\x89PNG\r\n\x1a\n"):
        same_as_pillow(data)
    assert icon_problem(KEY, None) == f"Add the icon with background: a {WIDTH}x{HEIGHT} PNG."  # no file at all
