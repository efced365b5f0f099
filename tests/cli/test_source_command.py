"""``ledgerbridge source add`` then ``import --api``: an API source used like files."""

import io
import json

from app.cli import main
from tests.importers.test_api_source import TOKEN, server  # noqa: F401 (fixture)


def test_add_a_source_and_import_from_it(server, tmp_path, capsys, monkeypatch,  # noqa: F811
                                         memory_keyring):
    home = ["--home", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    assert main([*home, "source", "add", "regsys", "--base-url", server,
                 "--endpoint", "customer=/v1/customers", "--secret-stdin"]) == 0
    settings = (tmp_path / "config" / "sources" / "regsys.json").read_text()
    assert TOKEN not in settings  # the secret is only in the keyring
    assert TOKEN in memory_keyring.store.values()
    capsys.readouterr()
    assert main([*home, "import", "--api", "regsys", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["customer"]["new"] == 5


def test_import_needs_files_or_an_api_source(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "import"]) == 2
    assert main(["--home", str(tmp_path), "import", "--api", "nope"]) == 2
    assert "cannot read API source" in capsys.readouterr().err


def test_endpoint_must_name_a_record_type(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "source", "add", "x", "--base-url", "http://127.0.0.1:9",
                 "--endpoint", "invoices=/v1/invoices", "--secret-stdin"]) == 2
    assert "unknown record type" in capsys.readouterr().err


def test_an_endpoint_path_goes_under_the_base_urls_path(server, tmp_path, capsys,  # noqa: F811
                                                         monkeypatch, memory_keyring):
    """``--base-url http://h/v1 --endpoint customer=/customers`` reads ``/v1/customers``."""
    home = ["--home", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    assert main([*home, "source", "add", "regsys", "--base-url", f"{server}/v1",
                 "--endpoint", "customer=/customers", "--secret-stdin"]) == 0
    capsys.readouterr()
    assert main([*home, "import", "--api", "regsys", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["customer"]["new"] == 5


def test_without_a_keyring_source_add_names_the_api_key_not_quickbooks(tmp_path, capsys):
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert main(["--home", str(tmp_path), "source", "add", "regsys", "--base-url",
                     "http://127.0.0.1:9", "--endpoint", "customer=/customers",
                     "--secret-stdin"]) == 2
    finally:
        keyring.set_keyring(before)
    err = capsys.readouterr().err
    assert "keeps the API source's token or key (regsys) only in the system keyring" in err
    assert "QuickBooks connection" not in err


def test_an_api_sync_source_refuses_a_sheet(tmp_path, capsys, monkeypatch, memory_keyring):
    home = ["--home", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    assert main([*home, "source", "add", "regsys", "--base-url", "http://127.0.0.1:9",
                 "--endpoint", "customer=/customers", "--secret-stdin"]) == 0
    capsys.readouterr()
    assert main([*home, "sync-source", "api", "regsys", "--sheet", "Payments"]) == 2
    assert "an API source has no sheets: leave --sheet out" in capsys.readouterr().err
    assert main([*home, "sync-source", "api", "nope"]) == 2
    assert "`ledgerbridge source add nope --base-url URL --endpoint TYPE=PATH`" in \
        capsys.readouterr().err
