"""The screenshot script (docs/screenshots) still drives every page and draws something."""

from __future__ import annotations

from PySide6.QtGui import QImage

from app.setup.pages import PAGES

from .screenshots import SIZE, take


def test_every_page_is_drawn(qtbot, tmp_path):
    saved = [p for p in take(tmp_path / "out", tmp_path / "home") if p.exists()]
    names = {p.stem.removeprefix("wizard-").split("-")[0] for p in saved}
    assert names == set(PAGES)
    for path in saved:
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE, path.name
        colours = {image.pixel(x, y) for x in range(0, image.width(), 25)
                   for y in range(0, image.height(), 25)}
        assert len(colours) > 3, f"{path.name} looks empty"
