#!/usr/bin/env python3
"""Draw the app icon and write it in each platform's format (run after changing it):

    .venv/bin/python installer/make_icons.py

``resources/icons/ledgerbridge.png`` (512 px: the window icon, Linux), ``.ico`` (Windows:
16–256 px, each a PNG inside, as Windows Vista and later read them) and ``.icns``
(macOS: 128–1024 px PNGs). Drawn with Qt offscreen, so nothing beyond the app's own
dependencies is needed; the ICO and ICNS containers are written by hand (both are a small
header and a list of PNGs).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = ((b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024))


def draw(size: int) -> QImage:
    """A teal tile; a white bridge (an arch on two piers) over a ledger's ruled lines."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    s = size / 1024
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(40 * s, 40 * s, 944 * s, 944 * s), 200 * s, 200 * s)
    gradient = QLinearGradient(0, 0, 0, size)
    gradient.setColorAt(0, QColor("#13909A"))
    gradient.setColorAt(1, QColor("#0B5568"))
    painter.fillPath(tile, gradient)
    white = QColor("#FFFFFF")
    pen = QPen(white, 64 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    arch = QPainterPath(QPointF(200 * s, 560 * s))
    arch.cubicTo(QPointF(330 * s, 250 * s), QPointF(694 * s, 250 * s),
                 QPointF(824 * s, 560 * s))
    painter.drawPath(arch)
    painter.drawLine(QPointF(200 * s, 540 * s), QPointF(824 * s, 540 * s))
    for x in (360, 664):
        painter.drawLine(QPointF(x * s, 430 * s), QPointF(x * s, 540 * s))
    painter.setPen(QPen(QColor(255, 255, 255, 170), 40 * s, Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap))
    for y, right in ((680, 824), (780, 700)):
        painter.drawLine(QPointF(200 * s, y * s), QPointF(right * s, y * s))
    painter.end()
    return image


def png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size, then the PNGs (256 is written as 0)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images.items():
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def icns(images: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(blob)) + blob for kind, blob in images)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    QGuiApplication(sys.argv[:1])
    master = draw(1024)

    def at(size: int) -> bytes:
        return png(draw(size) if size <= 64 else master.scaled(
            size, size, Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation))

    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "ledgerbridge.png").write_bytes(at(512))
    (ICONS / "ledgerbridge.ico").write_bytes(ico({size: at(size) for size in ICO_SIZES}))
    (ICONS / "ledgerbridge.icns").write_bytes(icns([(k, at(n)) for k, n in ICNS_TYPES]))
    for path in sorted(ICONS.iterdir()):
        print(f"{path.relative_to(ICONS.parents[1])}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
