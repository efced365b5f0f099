"""Logging: a rotating file in the log folder, plus stderr for the command line.

A filter scrubs anything that looks like an OAuth token or an Authorization header
before a record is written, as a second line of defence: code must not log secrets in
the first place.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE = "ledgerbridge.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)(basic\s+)[A-Za-z0-9+/=]+"),
    re.compile(r"(?i)((?:access|refresh)_token['\"]?\s*[:=]\s*['\"]?)[^'\"\s,&}]+"),
    re.compile(r"(?i)(client_secret['\"]?\s*[:=]\s*['\"]?)[^'\"\s,&}]+"),
    re.compile(r"(?i)(code=)[^&\s]+"),
)


def redact(text: str) -> str:
    """Replace token-like values in ``text`` with a marker."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1[redacted]", text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(log_dir: Path, *, stderr_level: int | None = logging.WARNING) -> None:
    """Send INFO and up to a rotating file; ``stderr_level`` and up to stderr (None: off)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_ledgerbridge", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.INFO)
    redactor = RedactingFilter()
    file_handler = logging.handlers.RotatingFileHandler(
        log_dir / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [file_handler]
    if stderr_level is not None:
        stream = logging.StreamHandler()
        stream.setLevel(stderr_level)
        handlers.append(stream)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(redactor)
        handler._ledgerbridge = True  # type: ignore[attr-defined]
        root.addHandler(handler)
