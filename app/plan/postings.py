"""Debits and credits: what an operation does to each account and class.

Planners attach these to operations so the preview can total the books per account
and class and prove debits equal credits before anything is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import ZERO


@dataclass(frozen=True)
class Posting:
    account: str  # fully-qualified QBO account name
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    class_name: str | None = None

    @property
    def net(self) -> Decimal:
        """Debit minus credit: positive for a net debit."""
        return self.debit - self.credit


def debit(account: str, amount: Decimal, class_name: str | None = None) -> Posting:
    """A debit of ``amount``; a negative amount is written as a credit."""
    if amount < 0:
        return Posting(account, ZERO, -amount, class_name)
    return Posting(account, amount, ZERO, class_name)


def credit(account: str, amount: Decimal, class_name: str | None = None) -> Posting:
    return debit(account, -amount, class_name)


def reverse(postings: Iterable[Posting]) -> tuple[Posting, ...]:
    """The equal-and-opposite postings (a void, or the old side of an update)."""
    return tuple(Posting(p.account, p.credit, p.debit, p.class_name) for p in postings)


def net_by_account(
    postings: Iterable[Posting],
) -> dict[tuple[str, str | None], Decimal]:
    """Net debit per (account, class); zero nets are dropped."""
    totals: dict[tuple[str, str | None], Decimal] = {}
    for posting in postings:
        key = (posting.account, posting.class_name)
        totals[key] = totals.get(key, ZERO) + posting.net
    return {k: v for k, v in totals.items() if v != 0}


def difference(new: Iterable[Posting], old: Iterable[Posting]) -> tuple[Posting, ...]:
    """The postings that turn ``old`` into ``new`` (an update's effect on the books)."""
    nets = net_by_account(tuple(new) + reverse(old))
    return tuple(debit(account, amount, cls) for (account, cls), amount in sorted(
        nets.items(), key=lambda item: (item[0][0], item[0][1] or "")
    ))


def is_balanced(postings: Iterable[Posting]) -> bool:
    return sum((p.net for p in postings), ZERO) == 0
