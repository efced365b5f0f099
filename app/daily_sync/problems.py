"""What can stop or trouble an unattended sync, in words a bookkeeper acts on.

Every problem a sync reports is one of these kinds, with the message of the moment and
a fix that does not depend on who reads it (the app when it opens next, the report file,
the command's output). docs/troubleshooting.md lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIXES: dict[str, str] = {
    "no_source": "Choose where the daily sync reads exports: `ledgerbridge sync-source "
                 "folder DIR` (a folder the registration system exports into) or "
                 "`ledgerbridge sync-source api NAME` (an API source).",
    "source_settings": "Check the sync source's settings (`ledgerbridge sync-source show`): "
                       "the preset must exist (`ledgerbridge preset list`).",
    "source_unreachable": "Check the internet connection and the registration system's "
                          "API; if it refused the token or key, add the source again under "
                          "the same name with the same address and endpoints — `ledgerbridge "
                          "source add NAME --base-url URL --endpoint TYPE=PATH` (one "
                          "--endpoint per record type) — and give the new token or key when "
                          "asked. The next sync tries again; nothing was lost.",
    "folder_missing": "Check that the watch folder exists and that this computer can read "
                      "it (a network drive may be disconnected); the next sync tries again.",
    "invalid_files": "Open the error list (the CSV named in the report), correct the export "
                     "(or export it again) and put it in the watch folder: a file is read "
                     "again whenever its content changes. Nothing of it was imported, and "
                     "nothing was posted, so the day's books are not half done.",
    "posting_locked": "Nothing to do if the post in the window finishes: the next sync "
                      "posts whatever is left. If no post is running, close Ledgerbridge on "
                      "every computer sharing the database and run `ledgerbridge sync`.",
    "reconnect": "Reconnect QuickBooks (Settings > Reconnect, or `ledgerbridge connect`); "
                 "everything imported stays queued and the next sync posts it.",
    "quickbooks_unreachable": "Check the internet connection; the next sync tries again and "
                              "never posts anything twice.",
    "keyring": "Unlock or install the system keyring (see docs/troubleshooting.md, "
               "\"Keyring\"); a scheduled task needs the keyring of the signed-in user.",
    "setup": "Finish the company's setup (the setup wizard, or `ledgerbridge mapping "
             "import FILE`), then sync again.",
    "preflight": "Fix the mapping or the QuickBooks setting named in the message (the "
                 "Mapping screen, or `ledgerbridge preview` for the details), then sync "
                 "again; nothing was posted.",
    "failed_records": "See the Error log (`ledgerbridge errors`) for each record with its "
                      "fix, then retry (`ledgerbridge retry --all`).",
    "held_records": "Records dated in QuickBooks' closed period wait until the accountant "
                    "moves the closing date (the next sync then posts them), or post them "
                    "re-dated from the window (`ledgerbridge post --closed-period redate`).",
    "edited_in_quickbooks": "Review the change with `ledgerbridge reconcile`; to replace the "
                            "edit with the source, `ledgerbridge post --overwrite-edited KEY`.",
    "duplicates": "Two QuickBooks records carry one key: see `ledgerbridge reconcile` and "
                  "delete the extra one in QuickBooks.",
    "storage": "Free disk space or fix the folder's permissions (docs/troubleshooting.md, "
               "\"Disk and permissions\"); the next sync tries again.",
    "cancelled": "Nothing to do: what was imported stays, what was not sent stays queued, "
                 "and the next sync (or Sync now) sends it, never anything twice.",
    "interrupted": "Nothing to do: the next sync or post resumes it, and looks up in "
                   "QuickBooks whatever was in flight before sending it again.",
    "unexpected": "Send the report file and the log (ledgerbridge.log in the logs folder, "
                  "`ledgerbridge status` names the data folder) to support; the next sync "
                  "tries again.",
}


@dataclass(frozen=True)
class Problem:
    kind: str  # a key of FIXES
    message: str

    @property
    def fix(self) -> str:
        return FIXES.get(self.kind, FIXES["unexpected"])

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message, "fix": self.fix}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(str(data.get("kind") or "unexpected"), str(data.get("message") or ""))
