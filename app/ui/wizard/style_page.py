"""Page 3, Posting style: detailed (invoices per registrant) or summary (daily journal
entries), each in plain words with a small example of what it creates in QuickBooks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QLabel

from .page_base import SetupPage, WizardContext
from .widgets import note, radio

STYLES = (
    ("detailed", "&Detailed: an invoice for each registration",
     "Every family becomes a customer in QuickBooks and each child a sub-customer. Each "
     "cart is an invoice, each payment a payment applied to it, each refund a refund "
     "receipt. Choose this when you want to see in QuickBooks who paid what.",
     [("Customer", "Lee family, with sub-customer Sam Lee"),
      ("Item", "Swim Level 1 (Service, income: Swim Lessons)"),
      ("Invoice", "ORD-1001 to Sam Lee: Swim Level 1, $120.00, class Downtown"),
      ("Payment", "$120.00 from the Lee family into Undeposited Funds, applied to "
                  "ORD-1001")]),
    ("summary", "&Summary: one journal entry per day",
     "QuickBooks gets totals, not people: one journal entry per day (or per sync) with "
     "the day's payments by tender and the revenue by program, location and tax rate. "
     "Choose this when the registration system is where families' accounts live.",
     [("Journal entry", "2026-01-05, daily summary"),
      ("  Debit", "Merchant Settlement $120.00 (card payments)"),
      ("  Credit", "Swim Lessons $110.60, class Riverside Swim:Downtown"),
      ("  Credit", "Sales Tax Payable:Tax Rate - County $9.40")]),
)


def _example(rows: list[tuple[str, str]]) -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    grid = QGridLayout(frame)
    grid.addWidget(QLabel("<b>Example in QuickBooks</b>"), 0, 0, 1, 2)
    for n, (what, text) in enumerate(rows, start=1):
        kind = QLabel(what)
        kind.setAlignment(Qt.AlignmentFlag.AlignTop)
        grid.addWidget(kind, n, 0)
        grid.addWidget(note(text), n, 1)
    grid.setColumnStretch(1, 1)
    return frame


class StylePage(SetupPage):
    name = "style"

    def __init__(self, context: WizardContext) -> None:
        super().__init__(context)
        self.choice = QButtonGroup(self)
        self.choice.idToggled.connect(self._on_toggled)
        grid = QGridLayout()
        for column, (style, title, words, example) in enumerate(STYLES):
            option = radio(title)
            option.setObjectName(f"style_{style}")
            self.choice.addButton(option, column)
            grid.addWidget(option, 0, column)
            grid.addWidget(note(words), 1, column, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_example(example), 2, column, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.change_note = note()
        self.body.addLayout(grid)
        self.body.addWidget(self.change_note)
        self.body.addStretch(1)

    def initializePage(self) -> None:
        style = self.state.style
        for n, (name, *_rest) in enumerate(STYLES):
            self.choice.button(n).setChecked(style == name)
        self._show_change_note()

    def _on_toggled(self, button_id: int, checked: bool) -> None:
        if checked:
            self.state.style = STYLES[button_id][0]
            self.state.summary = self.state.summary_error = None
            self._show_change_note()
            self.refresh()

    def _show_change_note(self) -> None:
        loaded = self.state.loaded.style if self.state.loaded else None
        changed = loaded is not None and loaded != self.state.style
        self.change_note.setText(
            "This company posted in the other style until now. What was posted stays as it "
            "is; from now on new records post in this style. Preview before you post."
            if changed else "")
