"""The demo company survives a restart; concurrent clients get unique ids and names."""

from __future__ import annotations

import threading

import requests

from app.simulator import SandboxServer
from app.simulator.chart import DEFAULT_ACCOUNTS
from tests.simulator.conftest import Qbo


def test_data_file_keeps_company_identity_and_tokens_across_restarts(tmp_path):
    data = str(tmp_path / "demo.sqlite")
    with SandboxServer(data_file=data) as first:
        client = Qbo(first.info)
        customer = client.customer("Survivor")
        info = first.info
    with SandboxServer(data_file=data) as second:
        assert second.info["realm_id"] == info["realm_id"]
        assert second.info["client_secret"] == info["client_secret"]
        client.company = f"{second.info['base_url']}/company/{info['realm_id']}"
        again = client.get(f"customer/{customer['Id']}")
        assert again.status_code == 200 and again.json()["Customer"]["DisplayName"] == "Survivor"
        accounts = client.query("select count(*) from Account")["totalCount"]
        assert accounts == len(DEFAULT_ACCOUNTS)
        refreshed = requests.post(second.info["token_url"],
                                  auth=(info["client_id"], info["client_secret"]),
                                  data={"grant_type": "refresh_token",
                                        "refresh_token": client.tokens["refresh_token"]})
        assert refreshed.status_code == 200


def test_requestid_replay_survives_restart(tmp_path):
    data = str(tmp_path / "demo.sqlite")
    with SandboxServer(data_file=data) as first:
        client = Qbo(first.info)
        original = client.post("class", {"Name": "Kept"}, requestid="keep-1")
    with SandboxServer(data_file=data) as second:
        client.company = f"{second.info['base_url']}/company/{second.info['realm_id']}"
        assert client.post("class", {"Name": "Kept"}, requestid="keep-1").content == \
            original.content


def _in_threads(count, work):
    results = [None] * count
    start = threading.Barrier(count)

    def run(index):
        start.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_threads_creating_customers_get_unique_ids(qbo):
    def create(index):
        while True:  # 20 threads > 10 concurrent requests: retry 429s as a client would
            reply = requests.post(f"{qbo.company}/customer", json={"DisplayName": f"C{index}"},
                                  headers=qbo.headers())
            if reply.status_code != 429:
                return reply

    replies = _in_threads(20, create)
    assert [r.status_code for r in replies] == [200] * 20
    ids = [r.json()["Customer"]["Id"] for r in replies]
    assert len(set(ids)) == 20
    assert qbo.query("select count(*) from Customer") == {"totalCount": 20}


def test_twenty_threads_racing_for_one_display_name_only_one_wins(qbo):
    def create(_index):
        while True:
            reply = requests.post(f"{qbo.company}/customer", json={"DisplayName": "Same Name"},
                                  headers=qbo.headers())
            if reply.status_code != 429:
                return reply

    replies = _in_threads(20, create)
    statuses = sorted(r.status_code for r in replies)
    assert statuses == [200] + [400] * 19
    codes = {r.json()["Fault"]["Error"][0]["code"] for r in replies if r.status_code == 400}
    assert codes == {"6240"}
    assert qbo.query("select count(*) from Customer") == {"totalCount": 1}
