"""Small builders for import tests: write a CSV the way a given tool would."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.domain.records import field_names


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    path.write_bytes(csv_text(header, rows, delimiter).encode(encoding))
    return path


def write_records(folder: Path, record_type: str, rows: list[dict[str, str]]) -> Path:
    """A canonical file (``payments.csv`` …) with every canonical column."""
    from app.domain.records import FILE_NAMES

    names = list(field_names(record_type))
    return write_csv(folder / f"{FILE_NAMES[record_type]}.csv", names,
                     [[row.get(n, "") for n in names] for row in rows])


def small_export(folder: Path) -> Path:
    """A consistent little export set: two families, one program, two payments."""
    folder.mkdir(parents=True, exist_ok=True)
    write_records(folder, "customer", [
        {"customer_id": "C1", "name": "O'Brien, Anne"},
        {"customer_id": "C2", "name": "Núñez: José"},
    ])
    write_records(folder, "participant", [
        {"participant_id": "S1", "first_name": "Zoë", "last_name": "O'Brien", "customer_id": "C1"},
    ])
    write_records(folder, "location", [{"location_id": "L1", "name": "Northside"}])
    write_records(folder, "tax_rate", [{"tax_rate_id": "T1", "name": "State", "rate": "6.25"}])
    write_records(folder, "program", [
        {"program_id": "G1", "name": "Swim", "location_id": "L1", "price": "100.00"},
    ])
    write_records(folder, "charge", [
        {"charge_id": "CH1", "order_id": "O1", "participant_id": "S1", "program_id": "G1",
         "date": "2025-01-05", "amount": "100.00", "tax_rate_id": "T1", "tax_amount": "6.25"},
    ])
    write_records(folder, "payment", [
        {"payment_id": "P1", "customer_id": "C1", "date": "2025-01-06", "tender": "card",
         "amount": "106.25", "order_id": "O1"},
        {"payment_id": "P2", "customer_id": "C2", "date": "2025-01-07", "tender": "cash",
         "amount": "50.00"},
    ])
    write_records(folder, "payment_allocation", [
        {"payment_id": "P1", "program_id": "G1", "location_id": "L1", "tax_rate_id": "T1",
         "amount": "100.00", "tax_amount": "6.25"},
        {"payment_id": "P2", "program_id": "G1", "amount": "50.00"},
    ])
    write_records(folder, "refund", [
        {"refund_id": "R1", "payment_id": "P1", "date": "2025-01-09", "amount": "10.00"},
    ])
    return folder
