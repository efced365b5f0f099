"""Page 10, Summary: what will be created in QuickBooks (accounts, classes, items) and
what the first preview will cover, from a real plan worked out in the background; and
what Finish saves now."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QTreeView,
)

from app.setup.loading import ledger_for
from app.setup.summary import SetupSummary, summarise

from .page_base import SetupPage, WizardContext
from .widgets import labelled, note, relabel

KINDS = {"Account": "Account", "Class": "Class", "Item": "Item"}
_SINGULAR = {"journal entries": "journal entry", "classes": "class", "accounts": "account",
             "items": "item", "customers": "customer", "invoices": "invoice",
             "payments": "payment", "refund receipts": "refund receipt",
             "credit memos": "credit memo"}
_PLURAL = {"journal entry": "journal entries", "class": "classes"}


def plural(count: int, word: str) -> str:
    """``1 account``, ``2 accounts``, ``1 journal entry``: the word given either way."""
    single = _SINGULAR.get(word, word)
    return f"{count} {single if count == 1 else _PLURAL.get(single, single + 's')}"


class SummaryPage(SetupPage):
    name = "summary"

    def __init__(self, context: WizardContext) -> None:
        super().__init__(context)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("what you call this client, e.g. Riverside Swim")
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.saving = note(selectable=True)
        self.saving.setObjectName("saving")
        self.created = QStandardItemModel(self)
        self.created_view = QTreeView()
        self.created_view.setModel(self.created)
        self.created_view.setRootIsDecorated(False)
        self.created_view.setAlternatingRowColors(True)
        self.created_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.created_label = labelled("Created in QuickBooks by the first &post:",
                                      self.created_view)
        self.covers = note(selectable=True)
        self.covers.setObjectName("covers")
        self.held = QStringListModel(self)
        self.held_view = QListView()
        self.held_view.setModel(self.held)
        self.held_view.setWordWrap(True)
        self.held_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.held_view.setMaximumHeight(self.fontMetrics().height() * 8)
        name_row = QHBoxLayout()
        name_row.addWidget(labelled("Company na&me in Ledgerbridge:", self.name_edit))
        name_row.addWidget(self.name_edit, 1)
        self.body.addLayout(name_row)
        self.body.addWidget(self.saving)
        self.body.addWidget(self.created_label)
        self.body.addWidget(self.created_view, 1)
        self.body.addWidget(self.covers)
        self.body.addWidget(labelled("&Held back until mapped, and warnings:", self.held_view))
        self.body.addWidget(self.held_view)

    def initializePage(self) -> None:
        self.name_edit.setText(self.state.chosen_name())
        self.saving.setText(self._saving_text())
        if self.state.summary is not None:
            self._show(self.state.summary)
            return
        self._show(None)
        if self.state.chart is None:
            self.state.summary_error = "the chart of accounts was not read (connect first)"
            self.covers.setText(f"Cannot work out the preview: {self.state.summary_error}.")
            return
        state, services = self.state, self.services
        dataset, mapping, chart = state.dataset(), state.mapping(), state.chart
        company_id = state.company.company_id if state.company else None

        def work(progress):  # type: ignore[no-untyped-def]
            progress.report(0, 1, "Working out the first preview…")
            ledger, locked = ledger_for(services, company_id)
            return summarise(dataset, mapping, chart, ledger, locked)

        self.run(work, "Working out the first preview…", self._summarised,
                 on_failure=self._failed)

    def _on_name_edited(self, text: str) -> None:
        self.state.company_name = text
        self.saving.setText(self._saving_text())
        self.refresh()

    def _summarised(self, summary: SetupSummary) -> None:
        self.state.summary = summary
        self._show(summary)

    def _failed(self, error: BaseException) -> None:
        self.state.summary_error = str(error)
        self.covers.setText(f"The preview could not be worked out: {error}")

    def _saving_text(self) -> str:
        state = self.state
        lines = []
        if state.connection is not None:
            lines.append(f"the connection to {state.connection.link.qbo_company_name}"
                         + (" (the demo company)" if state.connection.is_demo
                            else " (its keys in the system keyring)"))
        if state.source.chosen and state.source.is_clean:
            lines.append(f"{state.source.record_count()} records from your data")
        if state.style:
            lines.append(f"the mapping: {state.style} style, live from {state.go_live}, "
                         f"{state.sync} sync")
        name = state.chosen_name()
        subject = f"Finish saves {name!r}: " if name else "Finish saves "
        return subject + "; ".join(lines) + "." if lines else ""

    def _show(self, summary: SetupSummary | None) -> None:
        self.created.clear()
        self.created.setHorizontalHeaderLabels(["Kind", "Name", "Type"])
        header = self.created_view.header()
        header.setStretchLastSection(False)
        for column, mode in ((0, QHeaderView.ResizeMode.ResizeToContents),
                             (1, QHeaderView.ResizeMode.Stretch),
                             (2, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.held.setStringList([])
        if summary is None:
            self.covers.setText("")
            return
        for creation in summary.creations:
            self.created.appendRow([QStandardItem(KINDS[creation.entity]),
                                    QStandardItem(creation.name), QStandardItem(creation.detail)])
        counts = ", ".join(plural(summary.count(e), w) for e, w in
                           (("Account", "account"), ("Class", "class"), ("Item", "item")))
        relabel(self.created_label, f"Created in QuickBooks by the first &post ({counts}):")
        if summary.period is None:
            self.covers.setText("The first preview has nothing to cover yet: import data.")
        else:
            sent = ", ".join(plural(n, what) for what, n in summary.operations) or "nothing"
            self.covers.setText(
                f"The first preview covers {summary.period.start} to {summary.period.end}: "
                f"{sent}. Nothing is sent until you preview and post.")
        self.held.setStringList([*summary.blocked, *summary.warnings]
                                or ["Nothing: every record can be posted."])
