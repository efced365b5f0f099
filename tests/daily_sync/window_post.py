"""What the window's Post does, in a process of its own (for the concurrency test).

``post_period`` with the window's options: the bookkeeper saw the preview and clicked
Post, so nothing is asked (``confirm=None``); no wait for the lock (a post from the
window stops at once when another writer holds the company, and says so).

    python -m tests.daily_sync.window_post --home DIR --to YYYY-MM-DD

Prints the post's report as JSON and exits with its code; 2 with the lock's message on
standard error when another post or sync holds the company.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", required=True)
    parser.add_argument("--to", required=True, type=date.fromisoformat)
    args = parser.parse_args()

    from app.company_session import company_client
    from app.config import resolve_paths
    from app.models.company import Company
    from app.models.database import Database
    from app.posting import PostOptions, post_period
    from app.sync.posting_lock import PostingLocked

    paths = resolve_paths(args.home)
    database = Database.open(paths)
    with database.session() as session:
        company = session.get(Company, 1)
        assert company is not None
        session.expunge(company)
    try:
        report = post_period(database, company.id, company.name,
                             lambda: company_client(company, database, paths.data_dir),
                             PostOptions(None, end=args.to))
    except PostingLocked as exc:
        print(f"ledgerbridge: {exc}", file=sys.stderr)
        return 2
    finally:
        database.close()
    print(json.dumps(report.as_dict(), default=str))
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
