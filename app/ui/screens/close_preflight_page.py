"""Step 3 of the close: every problem found against the live company, with its fix and a
button that goes there, and the choice for records dated in QuickBooks' closed period."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.monthly_close.fixes import Problem
from app.monthly_close.flow import CloseFlow
from app.ui.screens.close_models import PROBLEM_SAMPLES, problems_model
from app.ui.screens.close_widgets import save_file_name, set_text, wrapped_rows
from app.ui.widgets import plain, push_button, table_view, text_label

CHOICES = (("hold", "Ho&ld them: post them later, once the closing date moves"),
           ("redate", "&Re-date them to the first open day, with a memo naming their date"),
           ("export", "&Export them for the accountant (held here)"))


class PreflightPage(QWidget):
    recheck_requested = Signal()
    fix_requested = Signal(object)  # Problem
    closed_choice_changed = Signal(str, object)  # choice, export file (Path | None)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = text_label("Checking against QuickBooks…")
        self.model = problems_model()
        self.table = table_view("Problems found")
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.table.setModel(self.model)
        wrapped_rows(self.table, (2, 3), PROBLEM_SAMPLES)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.fix_button = push_button("Fi&x: select a problem", self._on_fix_clicked,
                                      tooltip="Select a problem first", enabled=False)
        self.recheck_button = push_button("Chec&k again", self.recheck_requested.emit,
                                          tooltip="Run the pre-flight against QuickBooks again")
        self.closed_box = QGroupBox("Records dated in QuickBooks' closed period")
        self.closed_text = text_label()
        self.choices: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        box_layout = QVBoxLayout(self.closed_box)
        box_layout.addWidget(self.closed_text)
        for choice, text in CHOICES:
            button = QRadioButton(text)
            button.setAccessibleName(plain(text))
            group.addButton(button)
            self.choices[choice] = button
            box_layout.addWidget(button)
        self.file_button = push_button("Choo&se the file…", self._on_file_clicked,
                                       tooltip="Where the held records' lines are written")
        self.file_text = text_label()
        row = QHBoxLayout()
        row.addWidget(self.file_button)
        row.addWidget(self.file_text, 1)
        box_layout.addLayout(row)
        group.buttonToggled.connect(lambda *_: self._choice_toggled())
        buttons = QHBoxLayout()
        buttons.addWidget(self.fix_button)
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 10)
        layout.addLayout(buttons)
        layout.addWidget(self.closed_box)
        layout.addStretch(1)  # the room, when no problem was found
        self.flow: CloseFlow | None = None
        self._rendering = False
        self._check_shown: object = None
        self.save_as = save_file_name  # tests replace the file chooser

    def show_flow(self, flow: CloseFlow) -> None:
        self._rendering = True
        self.flow = flow
        check = flow.check
        if flow.checking:
            self.status.setText("Checking the period against QuickBooks (pre-flight and "
                                "plan)…")
        elif check is not None:
            self.status.setText(check.headline)
        self.recheck_button.setEnabled(not flow.checking)
        shown = check if not flow.checking else None
        if shown is not self._check_shown or not self.model.rowCount():
            self._check_shown = shown
            self.model.set_rows(list(shown.problems) if shown is not None else [])
        self.table.setVisible(self.model.rowCount() > 0)
        closed = check is not None and bool(check.closed_keys) and not flow.checking
        self.closed_box.setVisible(closed)
        if closed:
            self.closed_text.setText(flow.closed_text())
            self.choices[flow.closed_choice].setChecked(True)
        export = flow.closed_choice == "export"
        self.file_button.setEnabled(export)
        self.file_text.setText(str(flow.export_file) if flow.export_file and export else "")
        self._selected()
        self._rendering = False

    def selected_problem(self) -> Problem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        problem = self.selected_problem()
        action = problem.action if problem is not None else None
        usable = action is not None and action.kind not in ("none", "quickbooks")
        text = f"Fi&x: {action.label}" if action is not None and action.label \
            else "Fi&x: select a problem"
        set_text(self.fix_button, text, problem.issue.fix if problem is not None
                 else "Select a problem first")
        self.fix_button.setEnabled(usable)

    def _on_fix_clicked(self) -> None:
        problem = self.selected_problem()
        if problem is not None:
            self.fix_requested.emit(problem)

    def _choice_toggled(self) -> None:
        if self._rendering or self.flow is None:
            return
        choice = next(c for c, b in self.choices.items() if b.isChecked())
        self.closed_choice_changed.emit(choice, self.flow.export_file)

    def _on_file_clicked(self) -> None:
        path = self.save_as(self, "Write the closed-period records to", "closed-period.csv",
                            "CSV files (*.csv)")
        if path is not None:
            self.closed_choice_changed.emit("export", path)

