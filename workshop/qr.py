"""QR codes of the join link, for the projector.

Error correction "M" survives a projector's glare and keystone better than
"L" while keeping modules big; a 4-module quiet zone is what phone scanners
expect.
"""

from __future__ import annotations

import io

import segno


def _qr(data: str) -> segno.QRCode:
    if not data:
        raise ValueError("Nothing to encode.")
    return segno.make(data, error="m", micro=False)


def qr_png(data: str, scale: int = 12) -> bytes:
    out = io.BytesIO()
    _qr(data).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(data: str, scale: int = 12) -> bytes:
    out = io.BytesIO()
    _qr(data).save(out, kind="svg", scale=scale, border=4, xmldecl=False)
    return out.getvalue()
