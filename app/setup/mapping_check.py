"""A mapping from a file, checked as the wizard's pages check a choice.

Importing a mapping file replaces every page at once, so it gets every page's check
against the company's chart of accounts: an account of the wrong type, a name
QuickBooks does not have (without "create missing"), an inactive account. What the
wizard would refuse on Next is refused here, each problem named with its page.
"""

from __future__ import annotations

from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.plan.plan import Issue

from . import rules
from .chart import Chart
from .pages import MAPPING_SECTIONS, TITLES
from .state import SetupState


def problems_against(chart: Chart, mapping: MappingConfig, dataset: Dataset) -> tuple[Issue, ...]:
    state = SetupState(stored=dataset)
    state.load_mapping(mapping)
    state.apply_chart(chart)
    return tuple(
        Issue("error", "mapping_against_quickbooks", f"{TITLES[page]}: {problem}",
              "change the file (or choose on that page of the setup wizard), then import "
              "it again")
        for page in MAPPING_SECTIONS for problem in rules.problems(state, page))
