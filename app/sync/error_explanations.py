"""Plain-language explanations and suggested fixes for QBO errors, for the error log.

Kept apart from the error classes so the wording can be reviewed (and translated)
without touching control flow. Looked up by QBO error code first, then by error kind.
"""

from __future__ import annotations

from typing import NamedTuple


class Explanation(NamedTuple):
    explanation: str
    fix: str


BY_CODE: dict[str, Explanation] = {
    "100": Explanation(
        "QuickBooks did not accept the app's sign-in.",
        "Reconnect QuickBooks (Settings > Connection > Reconnect).",
    ),
    "120": Explanation(
        "The QuickBooks subscription does not allow this.",
        "Check the company's QuickBooks plan with its administrator.",
    ),
    "3100": Explanation(
        "This QuickBooks user or app is not allowed to work in this company.",
        "Reconnect with an administrator account of the right company.",
    ),
    "3200": Explanation(
        "The QuickBooks sign-in expired and could not be renewed automatically.",
        "Reconnect QuickBooks; pending work stays queued and resumes afterwards.",
    ),
    "3001": Explanation(
        "QuickBooks asked us to slow down (too many requests per minute).",
        "Nothing to do: Ledgerbridge waits and retries by itself.",
    ),
    "5010": Explanation(
        "Someone changed this record in QuickBooks after Ledgerbridge last read it.",
        "Run Reconcile to review the change, then post again.",
    ),
    "6240": Explanation(
        "Another customer, vendor or employee in QuickBooks already uses this name.",
        "Rename one of them, or map the source record to the existing QuickBooks name.",
    ),
    # Intuit's pages give 6210 two meanings (qbo-api-notes.md §5): a duplicate document
    # number, and a date in the closed accounting period (what the simulator answers).
    "6210": Explanation(
        "QuickBooks refused the record: its date is in the closed accounting period, or "
        "its document number is already used (the detail says which).",
        "A closed period: ask the accountant to move the closing date (the next post sends "
        "it), or post it re-dated (post --closed-period redate). A number: change it in the "
        "source, or turn off duplicate-number warnings in QuickBooks.",
    ),
    "610": Explanation(
        "Something this record refers to is missing or inactive in QuickBooks.",
        "Reactivate the account, customer or item in QuickBooks, or fix the mapping.",
    ),
    "6000": Explanation(
        "QuickBooks refused the record for a bookkeeping rule (see the detail).",
        "Read the detail, correct the source data or mapping, and post again.",
    ),
    "6190": Explanation(
        "The QuickBooks subscription has ended or has a billing problem.",
        "Ask the company's administrator to fix the subscription in QuickBooks.",
    ),
    "2050": Explanation(
        "A text field is longer than QuickBooks allows (e.g. document number > 21).",
        "Shorten the value in the source data or the mapping.",
    ),
    "2010": Explanation(
        "The record carries a field QuickBooks does not accept.",
        "Report this to support with the error detail.",
    ),
    "4001": Explanation(
        "A search sent to QuickBooks was not valid.",
        "Report this to support with the error detail.",
    ),
    "closed_period": Explanation(
        "The record is dated on or before the date the books are closed in QuickBooks.",
        "Ask the accountant to move the closing date: the next post then sends it. A new "
        "record can instead be re-dated to the first open day (post --closed-period redate).",
    ),
    "10000": Explanation(
        "QuickBooks had an internal failure.",
        "Retry later; Ledgerbridge already retried a few times.",
    ),
}

BY_KIND: dict[str, Explanation] = {
    "auth": Explanation(
        "QuickBooks did not accept the connection.",
        "Reconnect QuickBooks; pending work stays queued.",
    ),
    "reauthorisation": Explanation(
        "The QuickBooks connection has expired or was revoked.",
        "Reconnect QuickBooks (ledgerbridge connect); pending work resumes afterwards.",
    ),
    "throttled": BY_CODE["3001"],
    "validation": BY_CODE["6000"],
    "duplicate": BY_CODE["6240"],
    "stale": BY_CODE["5010"],
    "not_found": BY_CODE["610"],
    "server": BY_CODE["10000"],
    "network": Explanation(
        "QuickBooks could not be reached (network down or very slow).",
        "Check the internet connection; Ledgerbridge retries and never posts twice.",
    ),
    "edited": Explanation(
        "Someone changed this record in QuickBooks after Ledgerbridge posted it; "
        "Ledgerbridge does not overwrite a hand edit without being asked.",
        "Review it with `ledgerbridge reconcile`; to replace the edit with what the source "
        "says, post with --overwrite-edited KEY (the key is in the message).",
    ),
    "deleted": Explanation(
        "This record was deleted in QuickBooks after Ledgerbridge posted it, so the change "
        "could not be made.",
        "Check with `ledgerbridge reconcile`. If it should exist, `ledgerbridge resync` "
        "then `post` creates it again from the source; if not, remove it from the source.",
    ),
    "in_doubt": Explanation(
        "QuickBooks never answered whether this record was saved.",
        "Post or retry again: Ledgerbridge first looks the record up in QuickBooks and "
        "keeps it if it is there, so it is never entered twice.",
    ),
    "blocked": Explanation(
        "Not sent: it needs another record that failed or is held (named in the message).",
        "Fix the record it waits for; retrying that one sends this one too.",
    ),
    "cancelled": Explanation(
        "Not sent: the run was cancelled or stopped before reaching it.",
        "Post again: the run resumes where it stopped.",
    ),
    "skipped": Explanation(
        "Not sent: the source changed, and a newer version of this record was planned.",
        "Nothing to do.",
    ),
    "simulator": Explanation(
        "The local QuickBooks simulator this company is connected to does not answer.",
        "Start the simulator again at the address it was connected with, or reconnect.",
    ),
}


def explain(code: str | None, kind: str) -> Explanation:
    """The most specific explanation we have for an error."""
    if code and code in BY_CODE:
        return BY_CODE[code]
    return BY_KIND.get(kind, Explanation("QuickBooks reported an error.", "See the detail."))
