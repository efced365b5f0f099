"""The bookkeeper's CLI walk-through on PostgreSQL prints what it prints on SQLite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from app.cli import main

MAPPING = """style = "summary"
go_live = 2025-01-01
organisation_class = "Demo Org"

[options]
create_missing = true
"""


def _walk_through(home: Path, demo: Path, mapping: Path, capsys) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """demo data -> import -> edit -> re-import -> mapping -> preview -> report -> status."""
    def run(*args: str) -> Any:
        capsys.readouterr()
        assert main(["--home", str(home), *args]) == 0
        return json.loads(capsys.readouterr().out)

    out: dict[str, Any] = {"import": run("import", str(demo), "--json")}
    customers = demo / "customers.csv"
    lines = customers.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("555-", "556-")
    customers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out["reimport"] = run("import", str(demo), "--full", "--json")
    capsys.readouterr()
    assert main(["--home", str(home), "mapping", "import", str(mapping)]) == 0
    out["preview"] = run("preview", "--offline", "--to", "2025-01-31", "--json")
    out["report"] = run("report", "deposit-split", "--to", "2025-01-31", "--json")
    out["status"] = run("status", "--json")
    for summary in (out["import"], out["reimport"]):
        summary.pop("batch_id", None)
    return out


def test_the_cli_on_postgresql_matches_sqlite(pg_url, tmp_path, capsys,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEDGERBRIDGE_DATABASE_URL", raising=False)  # SQLite first
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    results = {}
    for backend in ("sqlite", "postgresql"):
        demo = tmp_path / f"demo-{backend}"
        assert main(["--home", str(tmp_path / "gen"), "demo-data", "--out", str(demo),
                     "--families", "8", "--months", "2"]) == 0
        if backend == "postgresql":
            monkeypatch.setenv("LEDGERBRIDGE_DATABASE_URL", pg_url)
        results[backend] = _walk_through(tmp_path / f"home-{backend}", demo, mapping, capsys)
    pg, lite = results["postgresql"], results["sqlite"]
    assert pg["status"].pop("database").startswith("postgresql+psycopg://")
    assert lite["status"].pop("database").startswith("sqlite:///")
    password = make_url(pg_url).password
    assert not password or str(password) not in json.dumps(pg)  # never printed
    assert pg == lite
    assert pg["reimport"]["changed"] == ["customer:FAM-00001"]
    assert pg["preview"]["balanced"] is True and len(pg["preview"]["operations"]) > 10
    assert sum(pg["status"]["records"].values()) > 50
