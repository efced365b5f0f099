"""Benchmark: plan the detailed style for 10,000 orders (SPEC §10 measures, never tests).

Generates a deterministic synthetic organisation in memory (families, children,
programs at three locations, taxed merchandise, payments, partial refunds, cart lines
removed), then times: the first plan (empty ledger), and the re-plan once the ledger
holds everything (must plan nothing). Peak memory is measured in a separate traced run
so tracing does not distort the timing.

    /work/venv/bin/python bench/plan_detailed_bench.py [--orders N]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.accounting.detailed import plan_detailed
from app.accounting.ledger_view import PostedRecord
from app.domain.dataset import Dataset
from app.domain.records import (
    Charge,
    Customer,
    Location,
    Participant,
    Payment,
    Program,
    Refund,
    TaxRate,
)
from app.mapping.config import MappingConfig, Target
from app.plan.plan import Period

START = date(2026, 1, 1)
PERIOD = Period(START, date(2026, 12, 31))
CENT = Decimal("0.01")


def synthetic(orders: int, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    records: list = [Location(f"L{i}", f"Location {i}") for i in range(3)]
    records.append(TaxRate("T1", "State", Decimal("6.25")))
    programs = [Program(f"PR{i}", f"Program {i}", f"Category {i % 5}", f"L{i % 3}",
                        Decimal(rng.randrange(5000, 40000)) / 100,
                        START + timedelta(days=rng.randrange(0, 360)))
                for i in range(60)]
    records += programs
    families = max(1, orders // 3)
    for f in range(families):
        records.append(Customer(f"C{f}", f"Parent {f}", "Parent", str(f), f"p{f}@example.org"))
        for k in range(2):
            records.append(Participant(f"P{f}-{k}", f"Child{k}", f"Family{f % 3000}", f"C{f}"))
    for o in range(orders):
        family = o % families
        child = f"P{family}-{o % 2}"
        day = START + timedelta(days=rng.randrange(0, 330))
        total = Decimal(0)
        for c in range(rng.randint(1, 3)):
            program = rng.choice(programs)
            taxed = c == 2
            tax = (program.price * Decimal("0.0625")).quantize(CENT) if taxed else None
            removed = rng.random() < 0.05
            records.append(Charge(
                f"CH{o}-{c}", f"ORD{o}", child, program.program_id, day, program.price,
                tax_rate_id="T1" if taxed else None, tax_amount=tax,
                status="removed" if removed else "active",
                removed_date=day + timedelta(days=5) if removed else None))
            total += program.price + (tax or 0)
        paid = total if rng.random() < 0.8 else (total / 2).quantize(CENT)
        payment = Payment(f"PAY{o}", day + timedelta(days=1), rng.choice(["card", "echeck",
                          "cash"]), paid, customer_id=f"C{family}", order_id=f"ORD{o}")
        records.append(payment)
        if rng.random() < 0.05:
            records.append(Refund(f"RF{o}", payment.payment_id, day + timedelta(days=10),
                                  (paid / 4).quantize(CENT)))
    return Dataset.from_records(records)


def mapping() -> MappingConfig:
    return MappingConfig(
        style="detailed",
        accounts={"accounts_receivable": Target("A/R", "1"),
                  "undeposited_funds": Target("Undeposited Funds", "2"),
                  "deferred_revenue": Target("Deferred Revenue", "3")},
        income={f"Category {i}": Target(f"Tuition:Category {i}", str(10 + i)) for i in range(5)},
        tenders={"card": Target("Merchant Settlement", "4")},
        locations={f"L{i}": Target(f"Org:Location {i}", str(500 + i)) for i in range(3)},
        tax_rates={"T1": Target("Sales Tax Payable:State", "20")},
        deferred_revenue=True,
    )


def posted(plan) -> dict[str, PostedRecord]:
    """The ledger after a poster sent every operation."""
    return {o.key: PostedRecord(o.key, o.entity, str(n), o.hash, "posted",
                                {k: v for k, v in o.payload.items() if k != "sparse"},
                                o.txn_date, o.amount)
            for n, o in enumerate(plan.operations)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    data = synthetic(args.orders)
    config = mapping()
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"data: {args.orders} orders, {len(data.charges)} charges, {len(data.payments)} "
          f"payments, {len(data.refunds)} refunds")
    started = time.perf_counter()
    first = plan_detailed(data, config, {}, PERIOD)
    first_s = time.perf_counter() - started
    print(f"first plan: {len(first.operations)} operations in {first_s:.2f} s "
          f"({len(first.issues)} issues)")
    ledger = posted(first)
    started = time.perf_counter()
    again = plan_detailed(data, config, ledger, PERIOD)
    again_s = time.perf_counter() - started
    print(f"re-plan over the posted ledger: {len(again.operations)} operations in "
          f"{again_s:.2f} s")
    dropped = replace(data.charges[0], status="removed", removed_date=date(2026, 12, 30))
    edited = Dataset.from_records(
        dropped if r is data.charges[0] else r for r in data.all_records())
    started = time.perf_counter()
    changed = plan_detailed(edited, config, ledger, PERIOD)
    print(f"re-plan after one edit: {len(changed.operations)} operations in "
          f"{time.perf_counter() - started:.2f} s")
    tracemalloc.start()
    plan_detailed(data, config, {}, PERIOD)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory while planning: {peak / 2**20:.0f} MiB; process max RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
