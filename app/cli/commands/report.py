"""``ledgerbridge report deposit-split``: the period's deposit split, from the source alone.

Payments by tender, revenue by program and location, tax by rate (and, in the
detailed style, income by account and the A/R and Undeposited Funds movements): the
figures the bookkeeper reconciles QuickBooks against (SPEC §3b).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.cli.periods import add_period_arguments, period_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="reports produced from the source data")
    reports = parser.add_subparsers(dest="report", metavar="REPORT", required=True)
    split = reports.add_parser("deposit-split", help="payments by tender, revenue, tax")
    add_period_arguments(split)
    split.add_argument("--json", action="store_true", help="machine-readable output")
    split.add_argument("--csv", type=Path, metavar="FILE", help="also write the report as CSV")
    split.set_defaults(handler=handle_deposit_split)


def handle_deposit_split(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.accounting.deposit_split import deposit_split, write_report_csv
    from app.company_data import NoCompanyData, load_company_data

    try:
        data = load_company_data(ctx.database(), need_mapping=False,
                                 company_id=ctx.company_id())
    except NoCompanyData as exc:
        raise UsageError(str(exc)) from None
    mapping, dataset = data.mapping, data.dataset
    report = deposit_split(dataset, period_from_args(args, dataset, None), mapping)
    if args.csv is not None:
        try:
            write_report_csv(report, args.csv)
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc}") from exc
    rows = [
        {"section": r.section, "key": r.key, "label": r.label, "location": r.location,
         "amount": format(r.amount, "f"), "refunded": format(r.refunded, "f"),
         "net": format(r.net, "f")}
        for r in report.rows
    ]
    if args.json:
        print_json({"period": {"from": report.period.start.isoformat(),
                               "to": report.period.end.isoformat()},
                    "style": report.style, "rows": rows})
        return EXIT_OK
    _print_text(report, rows)
    return EXIT_OK


# Section -> (title, the three column headings): the columns mean different things.
_SECTIONS = {
    "tender": ("Payments by tender", ("received", "refunded", "net")),
    "revenue": ("Revenue by program and location", ("allocated", "refunded", "net")),
    "tax": ("Tax by rate and location", ("allocated", "refunded", "net")),
    "income_account": ("Invoiced by income account (before deferral and refunds)",
                       ("invoiced", "removed", "net")),
    "balance": ("Balances moved in the period", ("in", "out", "net")),
}


def _print_text(report, rows: list[dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    print(f"Deposit split {report.period.start} to {report.period.end} ({report.style} style)")
    width = max([len(f"{r['label']} {r['location']}".strip()) for r in rows] + [20])
    section = None
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            title, headings = _SECTIONS.get(section, (section, ("amount", "refunded", "net")))
            print(f"\n{title}")
            print(f"  {'':{width}} " + " ".join(f"{h:>12}" for h in headings))
        label = f"{row['label']} {row['location']}".strip()
        print(f"  {label:{width}} {row['amount']:>12} {row['refunded']:>12} {row['net']:>12}")
    if any(r["section"] == "tender" and r["key"] == "multiplier" for r in rows):
        print("\nMultiplier credits have no program: they post to Unapplied Payments, so the "
              "tender total exceeds revenue plus tax by their amount.")
