"""The unattended daily sync (``ledgerbridge sync``): import, preview, post, report.

``source`` — where each company's exports come from (an API source or a watch folder);
``intake`` — the import (a watch folder's files read once, by path and SHA-256);
``run`` — one company's sync under its posting lock, never asking a question;
``reports`` — the report files and rows; ``history`` — what the app reads when it opens
(``unseen_failures``, ``mark_seen``, ``last_sync``); ``problems`` — what can go wrong,
each with what the bookkeeper should do.
"""
