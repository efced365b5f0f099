"""Changing picks: suggestions pre-filled once, one choice, "Create new…" for the rest.

Suggestions only ever name accounts and classes QuickBooks already has; a new one is
created only when the bookkeeper chooses "Create new…" (one row, or every unmapped row
of a page with the page's button).
"""

from __future__ import annotations

from .chart import ChartEntry, Pick
from .sections import Row, rows, unmapped
from .state import SetupState

NO_SUGGESTIONS = ("tenders",)  # an empty tender posts to its group's account on purpose


def prefill(state: SetupState, section: str) -> int:
    """Pre-fill empty rows with the closest existing account (once per section)."""
    if state.chart is None or section in state.prefilled or section in NO_SUGGESTIONS:
        return 0
    state.prefilled.add(section)
    filled = 0
    for row in rows(state, section):
        if row.key in state.picks[section]:
            continue
        names = _names(row)
        found = state.chart.suggest(row.entity, row.role, *names)
        if found is not None:
            state.picks[section][row.key] = existing(found)
            filled += 1
    return filled


def _names(row: Row) -> tuple[str, ...]:
    """What a row may be called in QuickBooks: its label, key, or the name to create."""
    return tuple(dict.fromkeys((row.label, row.key, row.new_name.rsplit(":", 1)[-1])))


def existing(entry: ChartEntry) -> Pick:
    return Pick(entry.name, entry.qbo_id)


def choose(state: SetupState, section: str, key: str, pick: Pick | None) -> None:
    """Set (or clear, with None) one row's choice."""
    if pick is None:
        state.picks[section].pop(key, None)
    else:
        state.picks[section][key] = pick
    state.summary = state.summary_error = None


def create_new(row: Row, name: str | None = None) -> Pick:
    return Pick((name if name is not None else row.new_name).strip(), None, new=True)


def create_all_unmapped(state: SetupState, section: str) -> int:
    """"Create new…" for every empty row that holds something back (a tender posting to
    its group's account, or an optional row such as rounding, stays empty). On the
    classes page every empty location: asking for classes is the point of it, even while
    class tracking is still off."""
    made = 0
    for item in unmapped(state, section):
        if item.blocking or section == "locations":
            choose(state, section, item.row.key, create_new(item.row))
            made += 1
    return made


def set_organisation(state: SetupState, pick: Pick | None) -> None:
    """Choose the organisation class; new location classes still named by the old default
    follow it (they hang under the organisation class, SPEC §3b)."""
    before = {r.key: r.new_name for r in rows(state, "locations")}
    state.organisation_class = pick
    after = {r.key: r.new_name for r in rows(state, "locations")}
    for key, chosen in list(state.picks["locations"].items()):
        if chosen.new and chosen.name == before.get(key) and key in after:
            state.picks["locations"][key] = Pick(after[key], None, new=True)
    state.summary = state.summary_error = None
