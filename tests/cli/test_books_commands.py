"""runs, manifest, reconcile, resync, undo and period as a bookkeeper types them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from app.cli import main

MAPPING = """
style = "detailed"
go_live = 2025-01-01
organisation_class = "Riverside Swim"
[options]
create_missing = true
"""


@pytest.fixture
def posted(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "demo-data", "--out", str(tmp_path / "x"), "--families", "4",
                 "--months", "1"]) == 0
    assert main([*home, "import", str(tmp_path / "x")]) == 0
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    assert main([*home, "mapping", "import", str(tmp_path / "m.toml")]) == 0
    assert main([*home, "connect", "--environment", "local"]) == 0
    assert main([*home, "post", "--yes", "--to", "2025-01-31"]) == 0
    capsys.readouterr()
    return home


def test_runs_and_the_manifest_of_a_post(posted, tmp_path, capsys):
    assert main([*posted, "runs", "--json"]) == 0
    [run] = json.loads(capsys.readouterr().out)
    assert run["kind"] == "post" and run["status"] == "finished" and run["counts"]["posted"]
    assert main([*posted, "manifest", str(run["id"]), "--csv", str(tmp_path / "m.csv")]) == 0
    rows = list(csv.reader((tmp_path / "m.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["run", str(run["id"]), "post"]
    header = rows.index(["key", "entity", "qbo_id", "doc_number", "action", "amount", "date",
                         "result", "error_code", "message", "time"])
    assert len(rows) - header - 1 == run["counts"]["posted"]
    assert any(r[0] == "source_file" and r[1] == "charges.csv" and len(r[2]) == 64
               for r in rows)
    assert main([*posted, "manifest", "99"]) == 2
    assert "there is no run 99" in capsys.readouterr().err


def test_reconcile_undo_and_resync(posted, capsys, monkeypatch):
    assert main([*posted, "reconcile", "--to", "2025-01-31"]) == 0
    assert "Everything agrees." in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main([*posted, "undo", "1"]) == 0
    assert "Nothing was sent." in capsys.readouterr().out
    assert main([*posted, "undo", "1", "--yes", "--json"]) == 0
    undone = json.loads(capsys.readouterr().out)
    assert undone["run_status"] == "finished" and undone["undone_run"] == 1
    assert main([*posted, "reconcile", "--to", "2025-01-31", "--json"]) == 1
    after = json.loads(capsys.readouterr().out)
    assert after["not_yet_posted"] and not after["agrees"]  # the source still says it all
    assert main([*posted, "undo", str(undone["run_id"]), "--yes"]) == 0
    out = capsys.readouterr().out  # what an open-period undo deleted comes back by posting
    assert "Nothing to undo" in out and "the next post creates it again" in out
    assert main([*posted, "resync", "--yes", "--json"]) == 0
    resynced = json.loads(capsys.readouterr().out)
    assert resynced["conflicts"] == []
    assert main([*posted, "undo", str(resynced["run_id"] or 99)]) == 2
    assert "only posts, retries and undos can be undone" in capsys.readouterr().err \
        or resynced["run_id"] is None


def test_period_lock_list_unlock(posted, capsys):
    assert main([*posted, "period", "lock", "2025-01", "--note", "filed"]) == 0
    assert main([*posted, "period", "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("["):]) == [{"from": "2025-01-01", "to": "2025-01-31",
                                                 "note": "filed"}]
    assert main([*posted, "period", "unlock", "2025-01"]) == 0
    assert main([*posted, "period", "lock", "January"]) == 2


def test_disconnect_keeps_everything_and_reconnect_with_resync_continues(posted, capsys):
    assert main([*posted, "disconnect"]) == 0
    assert main([*posted, "post", "--yes"]) == 2  # not connected: nothing sent
    assert "disconnected" in capsys.readouterr().err
    assert main([*posted, "connect", "--environment", "local"]) == 0
    assert main([*posted, "resync", "--yes", "--json"]) == 0
    capsys.readouterr()
    assert main([*posted, "post", "--yes", "--to", "2025-01-31", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["run_status"] == "nothing to send"
    assert main([*posted, "post", "--yes", "--json"]) == 0  # the rest of the exports
    rest = json.loads(capsys.readouterr().out)
    assert rest["run_status"] == "finished" and rest["counts"]["posted"] > 0
