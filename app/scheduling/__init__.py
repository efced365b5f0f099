"""The daily sync on the operating system's own scheduler, without Qt.

One scheduled task per company of a data folder, running ``ledgerbridge [--home DIR]
--company REALM sync --scheduled`` at a time of day, in the user's session (the keyring
is the signed-in user's):

* Windows: Task Scheduler, a task defined in XML and registered with ``schtasks``
  (``windows.py``);
* macOS: a launchd agent, a plist in ``~/Library/LaunchAgents`` loaded with
  ``launchctl`` (``launchd.py``);
* Linux: a systemd user timer in ``~/.config/systemd/user`` when the user's systemd
  answers (``systemctl --user``), else a line in the user's crontab (``systemd.py``,
  ``cron.py``).

Each backend writes exact text (tested as text) and reaches the operating system only
through a ``Runner`` (``runner.py``), so tests replace that boundary. ``service.py`` is
what the command line and the Settings screen call: ``schedule_on``, ``schedule_off``,
``schedule_status``.
"""
