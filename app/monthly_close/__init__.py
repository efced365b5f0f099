"""The monthly close as plain Python: the steps, what each one loads, checks and says.

The Monthly close screen (``app/ui/screens/monthly_close_screen.py``) renders these
objects and runs their work functions on the background helper; nothing here imports
Qt, so the rules (which step is allowed, the default period, what Post does, every text)
are tested without widgets. The post itself is ``app.posting.post_period``, the very
function ``ledgerbridge post`` calls.

- ``start``: the months to choose from, where the exports come from, what an earlier
  run left to send.
- ``importing``: the month's exports (files or the API source), checked and stored all
  or nothing.
- ``checking`` and ``fixes``: the pre-flight against the live company and the preview,
  each problem with the fix and where it is made.
- ``preview_tree``: the preview grouped by kind, with each record's lines.
- ``outcome``: progress in words, the result, the reconciliation and the exports.
- ``flow``: the steps themselves.
"""
