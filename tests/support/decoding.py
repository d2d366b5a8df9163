"""Decoders used by the tests to read what the app produced (never needed by the app)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from aisnemap.render import maps


def decode_polyline(
    text: str, precision: int = maps.POLYLINE_PRECISION
) -> list[tuple[float, float]]:
    """Inverse of :func:`encode_polyline`, as (lon, lat) pairs ."""
    values, shift, result, index = [], 0, 0, 0
    while index < len(text):
        byte = ord(text[index]) - 63
        index += 1
        result |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            shift, result = 0, 0
    coords = np.cumsum(np.array(values, dtype=np.int64).reshape(-1, 2), axis=0) / 10**precision
    return [(lon, lat) for lat, lon in coords.tolist()]


def png_has_colour(png: bytes, colour_hex: str, tolerance: int = 12) -> bool:
    """True when a PNG contains pixels of this colour."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    target = np.array([int(colour_hex[i : i + 2], 16) for i in (1, 3, 5)])
    return bool((np.abs(image - target).max(axis=1) <= tolerance).any())
