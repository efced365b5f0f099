"""The wizard's pages: names, order, titles and which part of the mapping each owns."""

from __future__ import annotations

PAGES = ("connect", "data_source", "style", "income", "classes", "tenders", "tax",
         "special_accounts", "go_live", "summary")

# Mapping pages and the section of the mapping each edits.
MAPPING_SECTIONS = {
    "income": "income",
    "classes": "locations",
    "tenders": "tenders",
    "tax": "tax_rates",
    "special_accounts": "accounts",
}

TITLES = {
    "connect": "Connect to QuickBooks",
    "data_source": "Your registration data",
    "style": "Posting style",
    "income": "Income accounts",
    "classes": "Classes for locations",
    "tenders": "Deposit accounts for tenders",
    "tax": "Sales tax accounts",
    "special_accounts": "Special accounts",
    "go_live": "Go-live and sync",
    "summary": "Summary",
}

SUBTITLES = {
    "connect": "Ledgerbridge posts into one QuickBooks Online company. Connect it, or try "
               "the demo company (a QuickBooks simulator on this computer).",
    "data_source": "Add the exports of your registration system, or an API source. "
                   "Nothing is imported until every file is clean.",
    "style": "How your registration data appears in QuickBooks.",
    "income": "Each program category posts its revenue to an income account.",
    "classes": "Each location becomes a class, so reports can be run per location.",
    "tenders": "Where each kind of payment is deposited. Leave a tender empty to use "
               "its group's account.",
    "tax": "Sales tax collected on each rate is owed: it posts to a liability account.",
    "special_accounts": "The accounts Ledgerbridge needs whatever your programs are.",
    "go_live": "From which day Ledgerbridge posts, and how often.",
    "summary": "What will be created in QuickBooks, and what the first preview covers. "
               "Nothing is sent until you preview and post.",
}


def check_page(name: str) -> str:
    if name not in PAGES:
        raise ValueError(f"unknown wizard page {name!r}; pages: {', '.join(PAGES)}")
    return name
