"""Replace the Intuit app's client secret: typed once, straight into the keyring.

Window-modal and opened with ``open()``; the secret is never shown back, logged or kept
anywhere but the keyring (``app.company_actions.replace_client_secret``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from app.ui.widgets import label_for, plain, text_label


class ClientSecretDialog(QDialog):
    chosen = Signal(str)  # the new secret (handed straight to the keyring)

    def __init__(self, parent: QWidget, client_id: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Replace the client secret")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.textChanged.connect(self._on_changed)
        layout = QFormLayout(self)
        layout.addRow(text_label(
            f"The Intuit app {client_id} keeps its client secret in the system keyring. Paste "
            "the new secret from developer.intuit.com (Keys & credentials); the old one is "
            "replaced. The connection's sign-in is not changed."))
        layout.addRow(label_for(self.secret, "New client &secret:"), self.secret)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Sa&ve in the keyring",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName(plain(self.save_button.text()))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        self._on_changed("")

    def _on_changed(self, text: str) -> None:
        self.save_button.setEnabled(bool(text.strip()))
        self.save_button.setToolTip("" if text.strip() else "Paste the new secret first")

    def _on_accepted(self) -> None:
        secret = self.secret.text()
        self.secret.clear()
        self.accept()
        self.chosen.emit(secret)
