"""An HTTP/JSON API as an import source: one endpoint per record type, pages followed.

The token or API key lives in the OS keyring (service ``ledgerbridge``, username
``api-source:<name>``), never in the settings file. Each endpoint's items become a
``Table`` of text cells, so API data meets exactly the mapping and validation a CSV
would. Requests time out; connection errors, 429 and 5xx are retried a bounded number of
times with backoff (``Retry-After`` honoured, capped); other errors stop the import.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import keyring
import requests

from app.domain.records import FILE_NAMES
from app.importers.readers import Table

KEYRING_SERVICE = "ledgerbridge"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_PAGES = 100_000
MAX_RETRY_AFTER = 30.0
LIST_KEYS = ("data", "items", "results", "records")


class ApiSourceError(Exception):
    """The API could not be read; the message is safe to show (it never holds the token)."""


def endpoint_url(base_url: str, path: str) -> str:
    """An endpoint's address: its path goes under the base URL's path, with or without a
    leading ``/`` (``http://h/v1`` + ``/payments`` -> ``http://h/v1/payments``; plain
    URL joining would drop ``/v1``); a full ``https://…`` address is used as it is."""
    if urlsplit(path).scheme:
        return path
    return base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class ApiSourceConfig:
    name: str
    base_url: str
    endpoints: Mapping[str, str]  # record type -> path, e.g. {"payment": "/v1/payments"}
    auth: str = "bearer"  # "bearer" | "api_key"
    api_key_header: str = "X-API-Key"
    paging: str = "next"  # "next" (a next link in the body or Link header) | "page"
    items_key: str | None = None  # where the list is in a page; None: the usual keys
    next_key: str = "next"
    page_param: str = "page"
    page_size_param: str | None = None
    page_size: int = 100
    timeout: float = 15.0
    retries: int = 3
    backoff: float = 0.5
    extra_params: Mapping[str, str] = field(default_factory=dict)

    @property
    def keyring_username(self) -> str:
        return f"api-source:{self.name}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {**data, "endpoints": dict(self.endpoints), "extra_params": dict(self.extra_params)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApiSourceConfig:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ApiSourceError(f"unknown API source settings: {', '.join(sorted(unknown))}")
        return cls(**data)


def save_source(config: ApiSourceConfig, directory: Path) -> Path:
    """The settings (never the secret) as ``<config>/sources/<name>.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{config.name}.json"
    path.write_text(json.dumps(config.to_json(), indent=2) + "\n", encoding="utf-8")
    return path


def load_source(directory: Path, name: str) -> ApiSourceConfig:
    try:
        return ApiSourceConfig.from_json(json.loads((directory / f"{name}.json").read_text()))
    except (OSError, ValueError, TypeError) as exc:
        raise ApiSourceError(f"cannot read API source {name!r}: {exc}") from exc


def store_secret(config: ApiSourceConfig, secret: str) -> None:
    keyring.set_password(KEYRING_SERVICE, config.keyring_username, secret)


def _secret(config: ApiSourceConfig) -> str:
    secret = keyring.get_password(KEYRING_SERVICE, config.keyring_username)
    if not secret:
        raise ApiSourceError(f"no token or API key for {config.name!r} in the keyring")
    return secret


class ApiSource:
    def __init__(
        self,
        config: ApiSourceConfig,
        *,
        http: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.http = http or requests.Session()
        self.sleep = sleep

    def fetch_tables(self) -> list[Table]:
        headers = self._auth_headers()
        return [self._table(rtype, path, headers) for rtype, path in self.config.endpoints.items()]

    def _auth_headers(self) -> dict[str, str]:
        secret = _secret(self.config)
        if self.config.auth == "api_key":
            return {self.config.api_key_header: secret, "Accept": "application/json"}
        return {"Authorization": f"Bearer {secret}", "Accept": "application/json"}

    def _table(self, record_type: str, path: str, headers: dict[str, str]) -> Table:
        digest = hashlib.sha256()  # of every page body: the import history's "file hash"
        url = endpoint_url(self.config.base_url, path)
        items = list(self._items(url, headers, digest))
        header: dict[str, None] = {}
        flat_items = [_flatten(item) for item in items]
        for item in flat_items:
            header.update(dict.fromkeys(item))
        columns = list(header)
        rows = [[item.get(c, "") for c in columns] for item in flat_items]
        name = f"api:{self.config.name}/{FILE_NAMES.get(record_type, record_type)}"
        return Table(name, columns, rows, range(2, len(rows) + 2), source_kind="api",
                     sha256=digest.hexdigest(),
                     details={"url": url})

    def _items(self, url: str, headers: dict[str, str], digest):  # type: ignore[no-untyped-def]
        config = self.config
        params: dict[str, Any] = dict(config.extra_params)
        if config.page_size_param:
            params[config.page_size_param] = config.page_size
        page = 1
        seen_urls: set[str] = set()
        for _ in range(MAX_PAGES):
            if config.paging == "page":
                params[config.page_param] = page
            response = self._get(url, headers, params)
            digest.update(response.content)
            body = _json(response)
            items = self._page_items(body)
            yield from items
            if config.paging == "page":
                if not items or (config.page_size_param and len(items) < config.page_size):
                    return
                page += 1
                continue
            next_url = self._next_url(body, response, url)
            if not next_url or next_url in seen_urls:
                return
            seen_urls.add(next_url)
            url, params = next_url, {}  # a next link carries its own query
        raise ApiSourceError(f"more than {MAX_PAGES} pages from {config.name}: stopped")

    def _page_items(self, body: Any) -> list[dict[str, Any]]:
        if isinstance(body, list):
            items = body
        elif isinstance(body, dict):
            key = self.config.items_key or next((k for k in LIST_KEYS if k in body), None)
            items = body.get(key, []) if key else []
        else:
            items = []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ApiSourceError(f"{self.config.name}: a page did not hold a list of objects")
        return items

    def _next_url(self, body: Any, response: requests.Response, url: str) -> str | None:
        link = body.get(self.config.next_key) if isinstance(body, dict) else None
        if isinstance(link, dict):
            link = link.get("href") or link.get("url")
        if not link:
            link = response.links.get("next", {}).get("url")
        return urljoin(url, link) if isinstance(link, str) and link else None

    def _get(self, url: str, headers: dict[str, str], params: dict[str, Any]) -> requests.Response:
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            try:
                response = self.http.get(url, headers=headers, params=params,
                                         timeout=self.config.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt == attempts - 1:
                    raise ApiSourceError(f"{self.config.name}: no answer from {url} "
                                         f"after {attempts} tries ({type(exc).__name__})") from exc
                self.sleep(self.config.backoff * 2 ** attempt)
                continue
            if response.status_code in RETRY_STATUSES and attempt < attempts - 1:
                self.sleep(_retry_after(response) or self.config.backoff * 2 ** attempt)
                continue
            if response.status_code in (401, 403):
                raise ApiSourceError(f"{self.config.name}: the API refused the token or key "
                                     f"(HTTP {response.status_code}); store a new one")
            if response.status_code >= 400:
                raise ApiSourceError(f"{self.config.name}: HTTP {response.status_code} "
                                     f"from {url}")
            return response
        raise ApiSourceError(f"{self.config.name}: gave up on {url}")  # pragma: no cover


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return min(float(value), MAX_RETRY_AFTER) if value.isdigit() else None


def _json(response: requests.Response) -> Any:
    """Numbers keep their exact text: ``12.10`` must not become the float 12.1."""
    try:
        return json.loads(response.text, parse_float=str, parse_int=str)
    except ValueError as exc:
        raise ApiSourceError(f"the API answered with something that is not JSON: {exc}") from exc


def _flatten(item: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """``{"family": {"name": "Lee"}}`` -> ``{"family.name": "Lee"}``; every value as text."""
    out: dict[str, str] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        elif value is None:
            out[name] = ""
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = str(value)
    return out
