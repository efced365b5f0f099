"""Benchmark: plan 100,000 payments in the summary style (SPEC §10).

Generates synthetic canonical data in the script itself (payments with one or two
allocations, some taxed, every tender, gift cards, refunds, a few failed payments over
a year of days and 3 locations), writes it as CSV, then times:

1. a bare ``csv.reader`` pass over the files (the SPEC's yardstick),
2. a minimal import (rows -> Decimal/date -> canonical records -> Dataset), a stand-in
   for the real importer, which lives elsewhere,
3. ``plan_summary`` for the whole year (go-live lump sum + daily entries),
4. planning again with the ledger updated (must plan nothing).

Run: ``python bench/plan_bench.py [--payments N]``. Prints times, peak RSS and the machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.accounting.ledger_view import PostedRecord
from app.accounting.summary import plan_summary
from app.domain.dataset import Dataset
from app.domain.records import (
    Location,
    Payment,
    PaymentAllocation,
    Program,
    Refund,
    TaxRate,
)
from app.mapping.config import MappingConfig, Target
from app.plan.plan import Period

TENDERS = ["card"] * 6 + ["echeck", "cash", "check", "custom:Venmo", "house_credit", "coupon",
                          "gift_card", "multiplier"]
START = date(2026, 1, 1)


def reference_records() -> list:
    locations = [Location(f"L{i}", f"Site {i}") for i in range(1, 4)]
    programs = [Program(f"PR{i}", f"Program {i}", category=f"Category {i % 12}",
                        location_id=f"L{1 + i % 3}") for i in range(60)]
    programs.append(Program("GIFT", "Gift Card", kind="gift_card"))
    return [*locations, *programs, TaxRate("T1", "County", Decimal("5"))]


def write_csv(folder: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with (folder / "payments.csv").open("w", newline="") as pay_file, \
            (folder / "payment_allocations.csv").open("w", newline="") as alloc_file, \
            (folder / "refunds.csv").open("w", newline="") as refund_file:
        payments, allocations, refunds = (csv.writer(f) for f in (pay_file, alloc_file,
                                                                   refund_file))
        payments.writerow(["payment_id", "customer_id", "date", "tender", "amount", "status"])
        allocations.writerow(["payment_id", "program_id", "amount", "tax_rate_id", "tax_amount"])
        refunds.writerow(["refund_id", "payment_id", "date", "amount", "kind"])
        for n in range(count):
            pid, day = f"P{n}", START + timedelta(days=rng.randrange(365))
            tender = rng.choice(TENDERS)
            total = 0
            if tender != "multiplier":
                programs = rng.sample(range(60), rng.choice((1, 1, 2)))
                if rng.random() < 0.03:
                    programs = ["GIFT"]
                for program in programs:
                    cents = rng.randrange(1000, 40000)
                    tax = cents // 20 if rng.random() < 0.3 else 0
                    name = program if program == "GIFT" else f"PR{program}"
                    allocations.writerow([pid, name, f"{cents / 100:.2f}", "T1" if tax else "",
                                          f"{tax / 100:.2f}" if tax else ""])
                    total += cents + tax
            else:
                total = rng.randrange(500, 5000)
            status = "failed" if rng.random() < 0.01 else "completed"
            payments.writerow([pid, f"C{n % 20000}", day.isoformat(), tender,
                               f"{total / 100:.2f}", status])
            if rng.random() < 0.03:
                later = min(day + timedelta(days=rng.randrange(30)), date(2026, 12, 31))
                refunds.writerow([f"R{n}", pid, later.isoformat(), f"{total // 2 / 100:.2f}",
                                  rng.choice(["refund", "chargeback", "echeck_return"])])


def bare_pass(folder: Path) -> int:
    rows = 0
    for name in ("payments.csv", "payment_allocations.csv", "refunds.csv"):
        with (folder / name).open(newline="") as f:
            rows += sum(1 for _ in csv.reader(f))
    return rows


def minimal_import(folder: Path) -> Dataset:
    def rows(name: str):
        with (folder / name).open(newline="") as f:
            reader = csv.reader(f)
            next(reader)
            yield from reader

    records: list = reference_records()
    for pid, customer, day, tender, amount, status in rows("payments.csv"):
        records.append(Payment(pid, date.fromisoformat(day), tender, Decimal(amount),
                               customer_id=customer, status=status))
    for pid, program, amount, tax_rate, tax in rows("payment_allocations.csv"):
        records.append(PaymentAllocation(pid, program, Decimal(amount), tax_rate_id=tax_rate
                                         or None, tax_amount=Decimal(tax) if tax else None))
    for rid, pid, day, amount, kind in rows("refunds.csv"):
        records.append(Refund(rid, pid, date.fromisoformat(day), Decimal(amount), kind=kind))
    return Dataset.from_records(records)


def mapping() -> MappingConfig:
    roles = ("undeposited_funds", "merchant_settlement", "discounts_and_credits",
             "gift_card_holding", "unapplied_payments", "tax_parent")
    return MappingConfig(
        style="summary", go_live=START, sync="daily", organisation_class="Org",
        organisation_class_id="100",
        accounts={role: Target(role.replace("_", " ").title(), str(i))
                  for i, role in enumerate(roles, 1)},
        income={f"Category {i}": Target(f"Tuition:Category {i}", str(10 + i)) for i in range(12)}
        | {"Gift Card": Target("Gift Card Sales", "30")},
        locations={f"L{i}": Target(f"Org:Site {i} L{i}", str(100 + i)) for i in range(1, 4)},
        tax_rates={"T1": Target("Sales Tax Payable:Tax Rate - County T1", "40")},
    )


def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    """Wall time (returned) and CPU time of this process (printed too: robust to a busy box)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {elapsed:7.2f} s wall {cpu:7.2f} s CPU")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=100_000)
    args = parser.parse_args()
    print(f"machine: {platform.machine()} {platform.processor() or ''} "
          f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_csv(folder, args.payments)
        rows, bare = timed("bare csv.reader pass", bare_pass, folder)
        data, imported = timed("minimal import -> Dataset", minimal_import, folder)
    print(f"rows read: {rows:,}; payments {len(data.payments):,}, allocations "
          f"{len(data.payment_allocations):,}, refunds {len(data.refunds):,}")
    period = Period(START, date(2026, 12, 31))
    config = mapping()
    # The go-live lump sum covers January; every later day gets its own entry.
    golive = "je:summary:golive:2026-01-01:2026-01-31"
    ledger = {golive: PostedRecord(golive, "JournalEntry", "1", "h", "posted",
                                   {"PrivateNote": "src:" + "0" * 32, "Line": []})}
    _, indexed = timed("dataset lookups (built on first use)", lambda: (
        data.allocations_by_payment, data.payment_by_id, data.program_by_id))
    plan, planned = timed("plan_summary, whole year (daily)", plan_summary, data, config,
                          ledger, period)
    planned += indexed
    print(f"operations: {len(plan.operations):,} journal entries; issues: {len(plan.issues)}")
    assert not plan.blocking_issues, plan.blocking_issues[:3]
    for op in plan.operations:
        ledger[op.key] = PostedRecord(op.key, op.entity, "x", op.hash, "posted", op.payload,
                                      op.txn_date, op.amount)
    again, _replanned = timed("plan again, ledger updated (plans nothing)", plan_summary, data,
                             config, ledger, period)
    assert again.operations == ()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print(f"{'import + lookups + plan':<44} {imported + planned:7.2f} s "
          f"({(imported + planned) / bare:.1f}x the bare csv pass)")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
