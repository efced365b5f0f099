"""The daily sync on each operating system's scheduler, with the OS command boundary mocked:
the exact text of the Windows task, the launchd plist, the systemd units and the crontab
line, and the exact commands run. (For real on Linux: ``test_scheduling_for_real.py``.)"""

from __future__ import annotations

import plistlib
import subprocess
from collections.abc import Sequence
from datetime import date, time
from pathlib import Path

import pytest

from app.config import resolve_paths
from app.scheduling.cron import Crontab
from app.scheduling.launchd import LaunchdAgent
from app.scheduling.runner import Completed, SchedulingError
from app.scheduling.service import default_backend
from app.scheduling.systemd import SystemdUserTimer, quote
from app.scheduling.task import Launcher, ScheduledTask, find_launcher, parse_at, sync_task
from app.scheduling.windows import WindowsTaskScheduler

TASK = ScheduledTask(
    "0123456789", "Riverside Swim",
    ("/opt/Ledgerbridge/ledgerbridge-cli", "--home", "/home/ann/Ledgerbridge Books",
     "--company", "9130357766", "sync", "--scheduled"),
    time(6, 30), None, "/home/ann/Ledgerbridge Books/logs/scheduled-sync.log")


class FakeOS:
    """Records every command; answers from ``answers`` (by the command's first words)."""

    def __init__(self, answers: dict[tuple[str, ...], Completed] | None = None) -> None:
        self.calls: list[tuple[list[str], str | None]] = []
        self.answers = dict(answers or {})
        self.crontab: str | None = None
        self.files_seen: dict[str, bytes] = {}

    def __call__(self, argv: Sequence[str], stdin: str | None) -> Completed:
        argv = list(argv)
        self.calls.append((argv, stdin))
        if argv[:2] == ["crontab", "-l"]:
            return Completed(0, self.crontab) if self.crontab is not None else \
                Completed(1, "", "no crontab for ann\n")
        if argv[:2] == ["crontab", "-"]:
            self.crontab = stdin
            return Completed(0)
        if "/XML" in argv and "/Create" in argv:  # the file exists only during the call
            self.files_seen["xml"] = Path(argv[argv.index("/XML") + 1]).read_bytes()
        for size in range(len(argv), 0, -1):
            if tuple(argv[:size]) in self.answers:
                return self.answers[tuple(argv[:size])]
        return Completed(0)

    def commands(self) -> list[list[str]]:
        return [argv for argv, _stdin in self.calls]


# -- Windows ------------------------------------------------------------------------------

WINDOWS_XML = r"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Ledgerbridge daily sync of Riverside Swim</Description>
    <URI>\Ledgerbridge\Daily sync 0123456789</URI>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2026-12-01T06:30:00</StartBoundary>
      <Enabled>true</Enabled>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT4H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>C:\Program Files\Ledgerbridge\ledgerbridge-task.exe</Command>
      <Arguments>ARGUMENTS</Arguments>
    </Exec>
  </Actions>
</Task>
""".replace("ARGUMENTS", r'--home "C:\Users\Ann &amp; Co\Ledgerbridge" --company 9130357766 '
                         "sync --scheduled")
WINDOWS_TASK = ScheduledTask(
    "0123456789", "Riverside Swim",
    (r"C:\Program Files\Ledgerbridge\ledgerbridge-task.exe", "--home",
     r"C:\Users\Ann & Co\Ledgerbridge", "--company", "9130357766", "sync", "--scheduled"),
    time(6, 30))


def test_the_windows_task_is_this_xml_registered_with_schtasks(tmp_path):
    fake = FakeOS()
    scheduler = WindowsTaskScheduler(fake, tmp_path, today=date(2026, 12, 1))
    assert scheduler.task_xml(WINDOWS_TASK) == WINDOWS_XML
    fake.answers[("schtasks", "/Query")] = Completed(0, WINDOWS_XML)
    installed = scheduler.install(WINDOWS_TASK)
    name = r"\Ledgerbridge\Daily sync 0123456789"
    xml_file = str(tmp_path / "ledgerbridge-sync-0123456789.xml")
    assert fake.commands() == [
        ["schtasks", "/Create", "/TN", name, "/XML", xml_file, "/F"],
        ["schtasks", "/Query", "/TN", name, "/XML"],
    ]
    assert fake.files_seen["xml"][:2] == b"\xff\xfe"  # UTF-16 with its byte-order mark
    assert fake.files_seen["xml"].decode("utf-16") == WINDOWS_XML
    assert not Path(xml_file).exists()  # the file is removed once registered
    assert (installed.at, installed.active, installed.location) == ("06:30", True, name)
    assert installed.command == ('"C:\\Program Files\\Ledgerbridge\\ledgerbridge-task.exe" '
                                 '--home "C:\\Users\\Ann & Co\\Ledgerbridge" --company '
                                 "9130357766 sync --scheduled")
    assert scheduler.remove("0123456789")
    assert fake.commands()[-1] == ["schtasks", "/Delete", "/TN", name, "/F"]


def test_a_windows_task_that_is_not_there_is_off_and_a_refusal_is_reported(tmp_path):
    missing = Completed(1, "", "ERROR: The system cannot find the file specified.\n")
    fake = FakeOS({("schtasks", "/Query"): missing,
                   ("schtasks", "/Create"): Completed(1, "", "ERROR: Access is denied.")})
    scheduler = WindowsTaskScheduler(fake, tmp_path)
    assert scheduler.query("0123456789") is None
    assert scheduler.remove("0123456789") is False
    with pytest.raises(SchedulingError, match="Access is denied"):
        scheduler.install(WINDOWS_TASK)


# -- macOS --------------------------------------------------------------------------------

LAUNCHD_PLIST = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Label</key>
\t<string>app.ledgerbridge.sync.0123456789</string>
\t<key>ProcessType</key>
\t<string>Background</string>
\t<key>ProgramArguments</key>
\t<array>
\t\t<string>/opt/Ledgerbridge/ledgerbridge-cli</string>
\t\t<string>--home</string>
\t\t<string>/home/ann/Ledgerbridge Books</string>
\t\t<string>--company</string>
\t\t<string>9130357766</string>
\t\t<string>sync</string>
\t\t<string>--scheduled</string>
\t</array>
\t<key>RunAtLoad</key>
\t<false/>
\t<key>StandardErrorPath</key>
\t<string>/home/ann/Ledgerbridge Books/logs/scheduled-sync.log</string>
\t<key>StandardOutPath</key>
\t<string>/home/ann/Ledgerbridge Books/logs/scheduled-sync.log</string>
\t<key>StartCalendarInterval</key>
\t<dict>
\t\t<key>Hour</key>
\t\t<integer>6</integer>
\t\t<key>Minute</key>
\t\t<integer>30</integer>
\t</dict>
</dict>
</plist>
"""


def test_the_launchd_agent_is_this_plist_bootstrapped_into_the_users_session(tmp_path):
    fake = FakeOS()
    agent = LaunchdAgent(fake, home=tmp_path, uid=501)
    installed = agent.install(TASK)
    plist = tmp_path / "Library/LaunchAgents/app.ledgerbridge.sync.0123456789.plist"
    assert plist.read_text() == LAUNCHD_PLIST
    assert plistlib.loads(plist.read_bytes())["ProgramArguments"] == list(TASK.argv)
    assert fake.commands() == [
        ["launchctl", "bootout", "gui/501/app.ledgerbridge.sync.0123456789"],
        ["launchctl", "bootstrap", "gui/501", str(plist)],
        ["launchctl", "print", "gui/501/app.ledgerbridge.sync.0123456789"],
    ]
    assert (installed.at, installed.active, installed.location) == ("06:30", True, str(plist))
    assert installed.command == ("/opt/Ledgerbridge/ledgerbridge-cli --home "
                                 "'/home/ann/Ledgerbridge Books' --company 9130357766 sync "
                                 "--scheduled")
    assert agent.remove("0123456789") and not plist.exists()
    assert fake.commands()[-1] == ["launchctl", "bootout",
                                   "gui/501/app.ledgerbridge.sync.0123456789"]
    assert agent.query("0123456789") is None and agent.remove("0123456789") is False


def test_a_launchd_refusal_is_reported(tmp_path):
    fake = FakeOS({("launchctl", "bootstrap"): Completed(5, "", "Bootstrap failed: 5: I/O error")})
    with pytest.raises(SchedulingError, match="Bootstrap failed"):
        LaunchdAgent(fake, home=tmp_path, uid=501).install(TASK)


# -- Linux: systemd -----------------------------------------------------------------------

SERVICE = """[Unit]
Description=Ledgerbridge daily sync of Riverside Swim

[Service]
Type=oneshot
ExecStart=/opt/Ledgerbridge/ledgerbridge-cli --home "/home/ann/Ledgerbridge Books" \
--company 9130357766 sync --scheduled
TimeoutStartSec=4h
"""
TIMER = """[Unit]
Description=Ledgerbridge daily sync of Riverside Swim at 06:30

[Timer]
OnCalendar=*-*-* 06:30:00
Persistent=true
Unit=ledgerbridge-sync-0123456789.service

[Install]
WantedBy=timers.target
"""


def test_the_systemd_user_timer_is_these_units_enabled_with_systemctl(tmp_path):
    fake = FakeOS({("systemctl", "--user", "is-enabled"): Completed(0, "enabled\n")})
    timers = SystemdUserTimer(fake, config_home=tmp_path / ".config")
    installed = timers.install(TASK)
    folder = tmp_path / ".config/systemd/user"
    assert (folder / "ledgerbridge-sync-0123456789.service").read_text() == SERVICE
    assert (folder / "ledgerbridge-sync-0123456789.timer").read_text() == TIMER
    assert fake.commands() == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", "ledgerbridge-sync-0123456789.timer"],
        ["systemctl", "--user", "is-enabled", "ledgerbridge-sync-0123456789.timer"],
    ]
    assert (installed.at, installed.active) == ("06:30", True)
    assert installed.command.startswith("/opt/Ledgerbridge/ledgerbridge-cli --home \"/home")
    assert timers.remove("0123456789")
    assert fake.commands()[-2:] == [
        ["systemctl", "--user", "disable", "--now", "ledgerbridge-sync-0123456789.timer"],
        ["systemctl", "--user", "daemon-reload"]]
    assert list(folder.iterdir()) == []


def test_systemd_arguments_are_quoted_and_escaped():
    assert quote("/usr/bin/python3") == "/usr/bin/python3"
    assert quote("/home/ann/My Books") == '"/home/ann/My Books"'
    assert quote('say "hi"') == '"say \\"hi\\""'
    assert quote("100%") == "100%%"  # a specifier otherwise
    assert quote("$HOME") == '"$$HOME"'


def test_the_working_directory_is_written_unquoted_with_only_percent_escaped(tmp_path):
    """systemd keeps quotes in WorkingDirectory= (then "path is not absolute")."""
    task = ScheduledTask("0123456789", "Riverside Swim", ("/usr/bin/python3", "-m", "app.cli"),
                         time(6, 30), "/home/ann/Ledgerbridge Source 100%")
    text = SystemdUserTimer(FakeOS(), config_home=tmp_path).service_text(task)
    assert "WorkingDirectory=/home/ann/Ledgerbridge Source 100%%\n" in text


# -- Linux: crontab -----------------------------------------------------------------------

CRON_LINE = ("30 6 * * * DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus "
             "XDG_RUNTIME_DIR=/run/user/1000 /opt/Ledgerbridge/ledgerbridge-cli --home "
             "'/home/ann/Ledgerbridge Books' --company 9130357766 sync --scheduled >> "
             "'/home/ann/Ledgerbridge Books/logs/scheduled-sync.log' 2>&1 "
             "# ledgerbridge-sync-0123456789")


def test_the_crontab_line_is_added_replaced_and_removed_keeping_every_other_line():
    fake = FakeOS()
    cron = Crontab(fake, uid=1000)
    assert cron.line(TASK) == CRON_LINE
    cron.install(TASK)  # into an empty crontab ("no crontab for ann")
    assert fake.crontab == CRON_LINE + "\n"
    fake.crontab = "MAILTO=ann\n0 1 * * * backup.sh\n" + CRON_LINE + "\n"
    later = ScheduledTask(TASK.task_id, TASK.company_name, TASK.argv, time(7, 5), None, None)
    installed = cron.install(later)
    assert fake.crontab.splitlines()[:2] == ["MAILTO=ann", "0 1 * * * backup.sh"]
    assert fake.crontab.splitlines()[2].startswith("5 7 * * * ")
    assert len(fake.crontab.splitlines()) == 3 and installed.at == "07:05"
    assert cron.remove(TASK.task_id)
    assert fake.crontab == "MAILTO=ann\n0 1 * * * backup.sh\n"
    assert cron.remove(TASK.task_id) is False and cron.query(TASK.task_id) is None
    assert [argv for argv in fake.commands() if argv[:2] == ["crontab", "-"]]


def test_a_percent_sign_is_escaped_for_cron():
    task = ScheduledTask("0123456789", "X", ("/opt/lb", "--home", "/srv/100% books"),
                         time(6, 0))
    assert "'/srv/100\\% books'" in Crontab(FakeOS(), uid=0).line(task)


# -- choosing the scheduler and composing the command ---------------------------------------

def test_each_platform_gets_its_scheduler_and_linux_prefers_systemd_then_cron(tmp_path):
    assert isinstance(default_backend(FakeOS(), "win32"), WindowsTaskScheduler)
    assert isinstance(default_backend(FakeOS(), "darwin", tmp_path), LaunchdAgent)
    assert isinstance(default_backend(FakeOS(), "linux", tmp_path), SystemdUserTimer)
    no_user_systemd = FakeOS({("systemctl",): Completed(1, "", "Failed to connect to bus")})
    assert isinstance(default_backend(no_user_systemd, "linux", which=lambda _: "/usr/bin/crontab"),
                      Crontab)
    with pytest.raises(SchedulingError, match="apt-get install cron"):
        default_backend(no_user_systemd, "linux", which=lambda _: None)


def test_the_task_names_its_data_folder_and_company_and_says_it_is_scheduled(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("LEDGERBRIDGE_HOME", str(tmp_path / "elsewhere"))
    paths = resolve_paths(tmp_path / "Ann's books")
    task = sync_task(paths, 3, "9130357766", "Riverside Swim", time(5, 45),
                     launcher=Launcher(("/opt/lb/ledgerbridge-cli",)))
    assert task.argv == ("/opt/lb/ledgerbridge-cli", "--home", str(tmp_path / "Ann's books"),
                         "--company", "9130357766", "sync", "--scheduled")
    assert task.at_text == "05:45" and task.log_file == str(paths.log_dir /
                                                            "scheduled-sync.log")
    other = sync_task(resolve_paths(tmp_path / "other"), 3, "9130357766", "Riverside Swim")
    assert other.task_id != task.task_id  # two data folders never share a task


def test_the_launcher_is_the_packaged_cli_else_the_installed_script_else_the_module(tmp_path):
    bundle = tmp_path / "Ledgerbridge"
    bundle.mkdir()
    for name in ("Ledgerbridge.exe", "ledgerbridge-cli.exe", "ledgerbridge-task.exe",
                 "Ledgerbridge", "ledgerbridge-cli"):
        (bundle / name).touch()
    assert find_launcher(str(bundle / "Ledgerbridge.exe"), True, True).argv == (
        str(bundle / "ledgerbridge-task.exe"),)
    assert find_launcher(str(bundle / "Ledgerbridge"), True, False).argv == (
        str(bundle / "ledgerbridge-cli"),)
    venv = tmp_path / "venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "ledgerbridge").touch()
    assert find_launcher(str(venv / "python"), False, False).argv == (
        str(venv / "ledgerbridge"),)
    bare = find_launcher(str(tmp_path / "python3"), False, False)
    assert bare.argv[1:] == ("-m", "app.cli") and bare.working_directory


@pytest.mark.parametrize(("text", "expected"), [("06:00", time(6, 0)), ("7:05", time(7, 5)),
                                                ("23:59", time(23, 59))])
def test_times_of_day(text, expected):
    assert parse_at(text) == expected


@pytest.mark.parametrize("text", ["24:00", "6", "06:60", "6pm", "06:5"])
def test_not_times_of_day(text):
    with pytest.raises(ValueError, match="HH:MM"):
        parse_at(text)


def test_windows_arguments_survive_the_command_line():
    """What Task Scheduler hands the program is what ``list2cmdline`` wrote."""
    args = ["--home", r"C:\Users\Ann & Co\Ledgerbridge", "--company", "Smith \"Swim\""]
    line = subprocess.list2cmdline(args)
    assert line == r'--home "C:\Users\Ann & Co\Ledgerbridge" --company "Smith \"Swim\""'
