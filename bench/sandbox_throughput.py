"""Raw throughput of the QBO sandbox (throttles lifted), measured over loopback HTTP.

Run: ``python bench/sandbox_throughput.py [N]``. Prints requests/second for customer
creates, invoice creates and queries, single client and 10 concurrent clients. This is a
benchmark, not a test: nothing asserts on time.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.simulator import Limits, SandboxServer

REDIRECT = "http://127.0.0.1:1/cb"


def connect(info: dict) -> tuple[requests.Session, str]:
    http = requests.Session()
    consent = http.get(info["authorization_url"], allow_redirects=False, params={
        "client_id": info["client_id"], "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting", "state": "b"})
    code = parse_qs(urlsplit(consent.headers["Location"]).query)["code"][0]
    tokens = http.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                       data={"grant_type": "authorization_code", "code": code,
                             "redirect_uri": REDIRECT}).json()
    http.headers.update({"Authorization": f"Bearer {tokens['access_token']}",
                         "Accept": "application/json"})
    return http, f"{info['base_url']}/company/{info['realm_id']}"


def timed(label: str, count: int, work) -> None:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    print(f"{label:<40} {count:>6} requests {elapsed:7.2f} s {count / elapsed:8.0f} req/s")


def main(n: int) -> None:
    unlimited = Limits(per_minute=10**9, concurrent=10**6, batch_per_minute=10**9)
    with SandboxServer(limits=unlimited) as sandbox:
        http, company = connect(sandbox.info)
        item = http.post(f"{company}/item", json={"Name": "Fee", "Type": "Service",
                                                  "IncomeAccountRef": {"value": "12"}}).json()
        item_id = item["Item"]["Id"]
        timed("customer create, 1 client", n, lambda: [
            http.post(f"{company}/customer", json={"DisplayName": f"C{i}"}) for i in range(n)])
        line = [{"DetailType": "SalesItemLineDetail", "Amount": 10,
                 "SalesItemLineDetail": {"ItemRef": {"value": item_id}}}]
        timed("invoice create, 1 client", n, lambda: [
            http.post(f"{company}/invoice", json={"CustomerRef": {"value": str(i % n + 1)},
                                                  "Line": line}) for i in range(n)])
        timed("query 100 customers by name, 1 client", 200, lambda: [
            http.get(f"{company}/query", params={
                "query": "select * from Customer where DisplayName LIKE 'C1%'"})
            for _ in range(200)])

        def burst():
            def one(worker: int) -> None:
                session, _ = connect(sandbox.info)
                for i in range(n // 10):
                    session.post(f"{company}/customer", json={"DisplayName": f"T{worker}-{i}"})
            threads = [threading.Thread(target=one, args=(w,)) for w in range(10)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        timed("customer create, 10 clients", n, burst)
        for entity in ("Customer", "Invoice"):
            count = http.get(f"{company}/query", params={
                "query": f"select count(*) from {entity}"}).json()["QueryResponse"]
            print(f"{entity} records stored: {count['totalCount']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
