"""Page 1, Connect: the demo company, QuickBooks Online, Intuit's sandbox, or a simulator
at an address; the browser authorisation with a waiting pane, Cancel, and the
paste-the-address fallback. The chart of accounts is read in the same background work."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
)

from app.setup import connecting
from app.setup.chart import Chart
from app.setup.connecting import Authorising, Connected, ConnectRequest
from app.sync.environments import LOCAL

from .page_base import SetupPage, WizardContext
from .widgets import button, labelled, note, radio

CHOICES = (
    (connecting.DEMO, "The &demo company (a QuickBooks simulator on this computer)"),
    (connecting.PRODUCTION, "&QuickBooks Online"),
    (connecting.SANDBOX, "Intuit's &sandbox company (developer keys)"),
    (connecting.SIMULATOR, "A QuickBooks si&mulator at an address"),
)


class ConnectPage(SetupPage):
    name = "connect"

    def __init__(self, context: WizardContext) -> None:
        super().__init__(context)
        self.attempt: Authorising | None = None
        self.kinds = QButtonGroup(self)
        where = QGroupBox("Where is the company?")
        column = QVBoxLayout(where)
        for n, (kind, text) in enumerate(CHOICES):
            option = radio(text)
            option.setObjectName(f"kind_{kind}")
            self.kinds.addButton(option, n)
            column.addWidget(option)
        self.kinds.idToggled.connect(lambda *_: self._show_fields())
        self.client_id = QLineEdit()
        self.client_secret = QLineEdit()
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.redirect_uri = QLineEdit()
        self.redirect_uri.setPlaceholderText("https://… (production keys only; else empty)")
        self.simulator_url = QLineEdit()
        self.simulator_url.setPlaceholderText("http://127.0.0.1:PORT/v3")
        self.client_id.editingFinished.connect(self._show_fields)
        self.fields = QFormLayout()
        for text, widget in (("Client &ID:", self.client_id),
                             ("Client s&ecret:", self.client_secret),
                             ("&Redirect address:", self.redirect_uri),
                             ("Simulator &address:", self.simulator_url)):
            self.fields.addRow(labelled(text, widget), widget)
        self.secret_note = note()
        self.connect_button = button("&Connect")
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.result_label = note(selectable=True)
        self.result_label.setObjectName("connected")
        self.waiting = self._waiting_box()
        self.body.addWidget(where)
        self.body.addLayout(self.fields)
        self.body.addWidget(self.secret_note)
        row = QHBoxLayout()
        row.addWidget(self.connect_button)
        row.addWidget(self.result_label, 1)
        self.body.addLayout(row)
        self.body.addWidget(self.waiting)
        self.body.addStretch(1)
        self.progress_pane.cancel_clicked.connect(self._on_cancel_clicked)
        self.progress_pane.cancel.setText("S&top waiting")
        self.progress_pane.cancel.setAccessibleName("Stop waiting")
        demo_offered = self.services.offer_demo
        if not demo_offered:
            self.setSubTitle("Ledgerbridge posts into one QuickBooks Online company: connect "
                             "it here. (The demo company opens from File → Open the demo "
                             "company.)")
        self.kinds.button(0).setVisible(demo_offered)
        self.kinds.button(0 if demo_offered else 1).setChecked(True)
        offered = [b for b in self.kinds.buttons() if b.isVisibleTo(self)]
        self.tab_order(*offered, self.client_id, self.client_secret,
                       self.redirect_uri, self.simulator_url, self.connect_button,
                       self.url_field, self.copy_button, self.again_button, self.pasted,
                       self.use_pasted, self.progress_pane.cancel)

    def _waiting_box(self) -> QGroupBox:
        box = QGroupBox("Waiting for QuickBooks")
        form = QFormLayout(box)
        form.addRow(note("Sign in to QuickBooks in your browser and choose the company. "
                         "This page continues by itself when QuickBooks sends you back."))
        self.url_field = QLineEdit()
        self.url_field.setReadOnly(True)
        self.copy_button = button("Cop&y address")
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.url_field.text()))
        self.again_button = button("Open the &browser again")
        self.again_button.clicked.connect(
            lambda: self.services.open_browser(self.url_field.text()))
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_field, 1)
        url_row.addWidget(self.copy_button)
        url_row.addWidget(self.again_button)
        form.addRow(labelled("Authorisation address:", self.url_field), url_row)
        self.pasted = QLineEdit()
        self.use_pasted = button("&Use this address")
        self.use_pasted.clicked.connect(self._on_use_pasted_clicked)
        paste_row = QHBoxLayout()
        paste_row.addWidget(self.pasted, 1)
        paste_row.addWidget(self.use_pasted)
        form.addRow(labelled("If the browser cannot come back here, paste the address it "
                             "ended on:", self.pasted), paste_row)
        box.hide()
        return box

    # --- filling ---------------------------------------------------------------------------

    def initializePage(self) -> None:
        company = self.state.company
        if company is not None and company.environment != LOCAL:
            self.kinds.button(1 if company.environment == "production" else 2).setChecked(True)
        self._show_result()
        self._show_fields()

    def kind(self) -> str:
        return CHOICES[max(self.kinds.checkedId(), 0)][0]

    def _show_fields(self) -> None:
        kind = self.kind()
        hosted = kind in (connecting.PRODUCTION, connecting.SANDBOX)
        for widget, shown in ((self.client_id, hosted), (self.client_secret, hosted),
                              (self.redirect_uri, kind == connecting.PRODUCTION),
                              (self.simulator_url, kind == connecting.SIMULATOR)):
            self.fields.setRowVisible(widget, shown)
        self.secret_note.setText("The client secret is asked once and kept in the system "
                                 "keyring, never in a file." if hosted else "")
        self.secret_note.setVisible(hosted)
        client_id = self.client_id.text()
        if hosted and client_id.strip():  # the keyring may ask to be unlocked: not here
            self.services.runner.start(lambda p: connecting.knows_client_secret(client_id),
                                       on_success=self._secret_known,
                                       on_failure=lambda error: self.secret_note.setText(
                                           str(error)))

    def _secret_known(self, known: bool) -> None:
        self.client_secret.setEnabled(not known)
        self.client_secret.setPlaceholderText("kept in the system keyring" if known else "")

    def _show_result(self) -> None:
        state = self.state
        if state.connection is not None:
            link = state.connection.link
            where = " (simulator)" if link.environment == LOCAL and "simulator" not in \
                link.qbo_company_name.lower() else ""
            text = f"Connected to {link.qbo_company_name}{where}."
        elif state.company is not None and state.company.connected:
            text = f"Connected to {state.company.name}."
        else:
            text = "Not connected yet."
        self.result_label.setText(text)
        self.connect_button.setText("&Connect again" if state.connected else "&Connect")
        self.connect_button.setAccessibleName(self.connect_button.text().replace("&", ""))

    # --- connecting ------------------------------------------------------------------------

    def request(self) -> ConnectRequest:
        return ConnectRequest(self.kind(), self.client_id.text(), self.client_secret.text(),
                              self.redirect_uri.text(), self.simulator_url.text())

    def _on_connect_clicked(self) -> None:
        request = self.request()
        if request.kind == connecting.DEMO:
            self.run(lambda p: self._with_owner(connecting.connect_demo(self.services, p)),
                     "Starting the demo company…", self._connected)
            return
        self.run(lambda p: connecting.begin(request, self.services),
                 "Preparing the QuickBooks sign-in…", self._authorising)

    def _authorising(self, attempt: Authorising) -> None:
        self.attempt = attempt
        self.url_field.setText(attempt.url)
        self.url_field.setCursorPosition(0)
        self.pasted.clear()
        self.waiting.show()
        self.services.open_browser(attempt.url)
        self.run(lambda p: self._with_owner(attempt.finish(p)),
                 "Waiting for QuickBooks in your browser…", self._connected,
                 cancellable=True, on_cancelled=self._stopped, on_failure=self._failed)

    def _with_owner(self, connected: Connected) -> tuple[Connected, tuple[int, str] | None]:
        owner = connecting.realm_owner(self.services.database, connected.connection.link.realm_id)
        return connected, owner

    def _connected(self, result: tuple[Connected, tuple[int, str] | None]) -> None:
        connected, owner = result
        self._stopped()
        company = self.state.company
        self.state.connection = connected.connection
        self.state.realm_taken_by = owner[1] if owner and (
            company is None or owner[0] != company.company_id) else None
        self.state.apply_chart(Chart.from_snapshot(connected.chart))
        self.state.chart_error = None
        self._show_result()

    def _failed(self, error: BaseException) -> None:
        self._stopped()
        self.show_error(error)

    def _stopped(self) -> None:
        self.attempt = None
        self.waiting.hide()

    def _on_cancel_clicked(self) -> None:
        if self.attempt is not None:
            self.attempt.cancel()

    def _on_use_pasted_clicked(self) -> None:
        if self.attempt is None or not self.attempt.offer_pasted(self.pasted.text()):
            self.problems_label.setText("That address is not from this connection attempt: "
                                        "copy the whole address the browser ended on.")
            self.problems_label.show()

    def refresh(self) -> None:
        self.connect_button.setEnabled(not self.busy)  # one attempt at a time
        super().refresh()

    def cancel_work(self) -> None:
        """The wizard is closing: stop waiting for the browser."""
        self._on_cancel_clicked()
