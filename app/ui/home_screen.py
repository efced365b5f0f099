"""The first screen: what company this is, how it is connected, what is stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.status import StatusReport


class HomeScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = QLabel()
        self._title.setObjectName("homeTitle")
        self._title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self._fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (
            ("connection", "QuickBooks connection"),
            ("style", "Posting style"),
            ("records", "Source records"),
            ("jobs", "Sync jobs"),
            ("imports", "Imports"),
            ("database", "Local database"),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self._fields[key] = value
            form.addRow(f"{label}:", value)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(form)
        layout.addStretch(1)

    def show_status(self, report: StatusReport) -> None:
        company = report.company
        if company is None:
            self._title.setText("No company yet")
            self._fields["connection"].setText(
                "Not connected: run `ledgerbridge connect`, or open the demo company."
            )
            self._fields["style"].setText("Not chosen")
        else:
            self._title.setText(company["qbo_company_name"] or company["name"])
            env = {"local": "demo company (simulator)", "sandbox": "Intuit sandbox",
                   "production": "QuickBooks Online"}.get(company["environment"], "")
            if company["environment"] == "local" and company.get("api_base_url"):
                env = f"simulator at {company['api_base_url']}"
            state = company["connection_state"].replace("_", " ")
            self._fields["connection"].setText(f"{state} — {env}")
            self._fields["style"].setText(company["posting_style"] or "Not chosen")
        total = sum(report.records.values())
        detail = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(report.records.items()))
        self._fields["records"].setText(f"{total}" + (f" ({detail})" if detail else ""))
        jobs = ", ".join(f"{k}: {v}" for k, v in sorted(report.jobs.items()))
        self._fields["jobs"].setText(jobs or "none")
        self._fields["imports"].setText(str(report.imports))
        self._fields["database"].setText(report.database)
