"""Per page: may the bookkeeper go on (every reason why not), and which page is next.

Plain Python over a ``SetupState`` (Electrum: the wizard's navigation is tested without
widgets). A page is valid when ``problems(state, page)`` is empty; the GUI enables Next
(or Finish) exactly then and shows the reasons. What is merely unmapped is not a problem:
it is listed by ``sections.unmapped`` with what it blocks.
"""

from __future__ import annotations

from app.mapping.accounts import CREATE_TYPES, EXPECTED_TYPES
from app.mapping.config import MAX_SOURCE_KEY_LENGTH, SYNC_MODES
from app.mapping.toml_format import fqn_problem

from .chart import Chart, Pick
from .pages import MAPPING_SECTIONS, TITLES
from .sections import Row, rows
from .state import SetupState, entity_of


def problems(state: SetupState, page: str) -> list[str]:
    """Why Next cannot be pressed on ``page`` yet ([] when it can)."""
    check = {
        "connect": _connect, "data_source": _data_source, "style": _style,
        "go_live": _go_live, "summary": _summary,
    }.get(page)
    if check is not None:
        return check(state)
    return _mapping_page(state, MAPPING_SECTIONS[page])


def is_valid(state: SetupState, page: str) -> bool:
    return not problems(state, page)


def next_page(state: SetupState, page: str) -> str | None:
    """The page after ``page``; None at the end (and when one page was re-entered)."""
    pages = state.pages
    index = pages.index(page)
    return pages[index + 1] if index + 1 < len(pages) else None


def finish_problems(state: SetupState) -> list[str]:
    """Everything standing between the bookkeeper and Finish, page by page."""
    return [f"{TITLES[page]}: {problem}" for page in state.pages
            for problem in problems(state, page)]


# --- pages -------------------------------------------------------------------------------


def _connect(state: SetupState) -> list[str]:
    if not state.connected:
        return ["Choose where the company is, then press Connect."]
    found = []
    if state.realm_taken_by:
        found.append(f"This QuickBooks company is already set up here as "
                     f"{state.realm_taken_by!r}: open that company instead.")
    link = state.connection.link if state.connection else None
    stored = state.company
    if link and stored and stored.realm_id and link.realm_id != stored.realm_id:
        found.append(f"This is another QuickBooks company than the one {stored.name!r} posts "
                     "to; connect that one again, or add this one as a new company.")
    return found


def _data_source(state: SetupState) -> list[str]:
    source = state.source
    if not source.chosen:
        if any(True for _ in state.stored.all_records()):
            return []  # data imported before: nothing new is needed
        return ["Add the exports of your registration system, or choose an API source."]
    if not source.is_checked:
        return ["Check the data (nothing is imported until it is clean)."]
    assert source.result is not None
    errors = len(source.result.errors)
    if errors:
        return [f"{errors} error(s) in the data: fix the files and check again. "
                "Nothing is imported until the data is clean."]
    if not source.record_count():
        return ["The data holds no records."]
    return []


def _style(state: SetupState) -> list[str]:
    return [] if state.style in ("summary", "detailed") else ["Choose a posting style."]


def _go_live(state: SetupState) -> list[str]:
    found = []
    if state.go_live is None:
        found.append("Choose the go-live date (the first day Ledgerbridge posts).")
    if state.sync not in SYNC_MODES:
        found.append("Choose daily or manual sync.")
    return found


def _summary(state: SetupState) -> list[str]:
    found = []
    name = state.chosen_name()
    if not name:
        found.append("Give the company a name: what you call this client.")
    elif name.casefold() in state.taken_names:
        found.append(f"Another company here is already called {name!r}: give this one "
                     "another name, so it can be told apart and chosen.")
    if state.summary is None and state.summary_error is None:
        found.append("Working out what the first preview will hold…")
    return found


def _mapping_page(state: SetupState, section: str) -> list[str]:
    if state.chart is None:
        why = state.chart_error or "connect first"
        return [f"The company's accounts and classes are not read yet ({why})."]
    found = []
    page_rows = rows(state, section)
    for row in page_rows:
        pick = state.picks[section].get(row.key)
        if pick is not None:
            found += [f"{row.label}: {p}" for p in pick_problems(state, state.chart, row, pick)]
    if section == "locations" and state.organisation_class is not None:
        organisation = Row("", "Organisation class", "", "Class", "organisation", "")
        found += [f"Organisation class: {p}" for p in
                  pick_problems(state, state.chart, organisation, state.organisation_class)]
    found += _type_clashes(state, section)
    return found


def pick_problems(state: SetupState, chart: Chart, row: Row, pick: Pick) -> list[str]:
    """Why this choice cannot be saved: a bad new name, a missing or unfit account."""
    if pick.new:
        problem = fqn_problem(pick.name)
        if problem:
            return [f"the new name {problem}"]
        if chart.by_name(row.entity, pick.name) is not None:
            return [f"{pick.name!r} already exists in QuickBooks: choose it instead of "
                    "creating it again"]
        if len(f"{row.entity}:{pick.name}") > MAX_SOURCE_KEY_LENGTH:
            return ["the new name is too long"]
        return []
    if pick.qbo_id is None:
        if state.create_missing:
            return []
        return [f"{pick.name!r} is not in QuickBooks: choose one that is, or Create new…"]
    entry = next((e for e in chart.entries(row.entity) if e.qbo_id == pick.qbo_id), None)
    if entry is None:
        return [f"{pick.name!r} is no longer in QuickBooks: choose another"]
    if not entry.active:
        return [f"{entry.name!r} is inactive in QuickBooks: choose another"]
    if not chart.fits(row.entity, row.role, entry):
        expected = " or ".join(EXPECTED_TYPES.get(row.role, ()))
        return [f"{entry.name!r} is a {entry.account_type} account; this needs {expected}"]
    return []


def _type_clashes(state: SetupState, section: str) -> list[str]:
    """One new name asked for as two kinds of account (an income and a liability)."""
    if entity_of(section) != "Account":
        return []
    kinds: dict[str, set[str]] = {}
    for each in ("income", "tenders", "tax_rates", "accounts"):
        for row in rows(state, each):
            pick = state.picks[each].get(row.key)
            if pick is not None and pick.new:
                role = {"tenders": "undeposited_funds"}.get(each, row.role)
                kinds.setdefault(pick.name, set()).add(CREATE_TYPES.get(role, ("?",))[0])
    mine = {p.name for p in state.picks[section].values() if p.new}
    return [f"{name!r} is asked for as a new {' and a new '.join(sorted(types))} account: "
            "give them different names" for name, types in sorted(kinds.items())
            if len(types) > 1 and name in mine]
