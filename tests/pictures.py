"""Checking that a rendered PNG shows every text of the SVG rendered from the same graph.

The PNG is decoded here (zlib and the five PNG row filters), so no image library is needed.
Each <text> of the SVG is placed on the PNG (same layout, scaled to its pixels) and must have
ink there: dark pixels where its letters are.
"""

from __future__ import annotations

import html
import re
import struct
import zlib

INK = 170  # a pixel darker than this (mean of R, G, B) is ink; the drawings' fills are all lighter


def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, channels, pixels row by row) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), f"only 8-bit RGB(A) PNGs, got depth {depth}, colour type {colour}"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    pixels = bytearray()
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, row, previous, channels)
        pixels += row
        previous = row
    return width, height, channels, bytes(pixels)


def _unfilter(kind: int, row: bytearray, above: bytearray, bpp: int) -> None:
    if kind == 1:
        for i in range(bpp, len(row)):
            row[i] = (row[i] + row[i - bpp]) & 255
    elif kind == 2:
        for i in range(len(row)):
            row[i] = (row[i] + above[i]) & 255
    elif kind == 3:
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + (left + above[i]) // 2) & 255
    elif kind == 4:
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b, c = above[i], above[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255


def svg_texts(svg: str) -> tuple[float, list[tuple[str, float, float, float, float]]]:
    """The SVG's width in points, and each text as (text, left, baseline, width, size) in points from the top left."""
    width = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    dx, dy = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", svg).groups())  # type: ignore[union-attr]
    texts = []
    for attributes, content in re.findall(r"<text ([^>]*)>([^<]*)</text>", svg):
        value = html.unescape(content).strip()
        if not value:
            continue
        found = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        size = float(found.get("font-size", "10"))
        span = 0.55 * size * len(value)
        x = float(found["x"]) + dx
        left = {"start": x, "middle": x - span / 2, "end": x - span}[found.get("text-anchor", "start")]
        texts.append((value, left, float(found["y"]) + dy, span, size))
    return width, texts


def _darkness(pixels: bytes, i: int, channels: int) -> float:
    """The pixel's mean of R, G and B, over a white background where it is transparent."""
    mean = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3
    if channels == 4:
        alpha = pixels[i + 3] / 255
        mean = mean * alpha + 255 * (1 - alpha)
    return mean


def texts_without_ink(svg: str, png: bytes) -> list[str]:
    """Every text of `svg` that has no ink at its place in `png` (rendered from the same graph)."""
    svg_width, texts = svg_texts(svg)
    width, height, channels, pixels = decode_png(png)
    scale = width / svg_width
    missing = []
    for value, left, baseline, span, size in texts:
        x0, x1 = int(left * scale), int((left + span) * scale) + 1
        y0, y1 = int((baseline - 0.7 * size) * scale), int(baseline * scale) + 1
        dark = 0
        for y in range(max(0, y0), min(height, y1)):
            for x in range(max(0, x0), min(width, x1)):
                if _darkness(pixels, (y * width + x) * channels, channels) < INK:
                    dark += 1
        if dark < 2 * len(value):  # a letter leaves far more than two dark pixels
            missing.append(value)
    return missing
