"""Acceptance: ``ledgerbridge sandbox serve --port 0`` driven by a plain requests script."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--home", str(tmp_path / "home"), "sandbox", "serve",
         "--port", "0", "--data", str(tmp_path / "demo.sqlite")],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line, process.stderr.read()
        yield json.loads(line)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_plain_requests_script_completes_the_whole_flow(served):
    info = served
    assert set(info) >= {"base_url", "realm_id", "client_id", "client_secret",
                         "authorization_url", "token_url", "revoke_url"}
    assert info["base_url"].startswith("http://127.0.0.1:") and info["base_url"].endswith("/v3")

    redirect = "http://localhost:9999/callback"
    consent = requests.get(info["authorization_url"], allow_redirects=False, params={
        "client_id": info["client_id"], "redirect_uri": redirect, "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting", "state": "st"})
    callback = parse_qs(urlsplit(consent.headers["Location"]).query)
    tokens = requests.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                           data={"grant_type": "authorization_code", "code": callback["code"][0],
                                 "redirect_uri": redirect}).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"}
    company = f"{info['base_url']}/company/{callback['realmId'][0]}"

    def post(entity, body):
        reply = requests.post(f"{company}/{entity}", json=body, headers=headers,
                              params={"minorversion": 75})
        assert reply.status_code == 200, reply.text
        return reply.json()

    def get(path, **params):
        reply = requests.get(f"{company}/{path}", headers=headers, params=params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    income = get("query", query="select * from Account where Name = 'Services'")[
        "QueryResponse"]["Account"][0]
    customer = post("customer", {"DisplayName": "Acceptance Family"})["Customer"]
    item = post("item", {"Name": "Summer Camp", "Type": "Service",
                         "IncomeAccountRef": {"value": income["Id"]}})["Item"]
    invoice = post("invoice", {"CustomerRef": {"value": customer["Id"]}, "TxnDate": "2025-06-01",
                               "Line": [{"DetailType": "SalesItemLineDetail", "Amount": 250,
                                         "SalesItemLineDetail": {
                                             "ItemRef": {"value": item["Id"]}}}]})["Invoice"]
    found = get("query", query=f"select * from Invoice where Id = '{invoice['Id']}'")
    assert found["QueryResponse"]["Invoice"][0]["TotalAmt"] == 250
    report = get("reports/TrialBalance", end_date="2025-06-30")
    debit, credit = (Decimal(c["value"]) for c in report["Rows"]["Row"][-1]["Summary"][
        "ColData"][1:])
    assert debit == credit == Decimal("250.00")
    assert "simulator" in requests.get(info["base_url"][:-3] + "/").text.lower()
