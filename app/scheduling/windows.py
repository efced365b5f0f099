"""Windows Task Scheduler: a task defined in XML, registered with ``schtasks /Create /XML``.

XML rather than ``schtasks /SC DAILY /ST``: only the XML says what a bookkeeper's laptop
needs — start a missed run as soon as the computer is on again (``StartWhenAvailable``),
run on battery, never two at once, give up after four hours. The task runs in the user's
session (``InteractiveToken``: Windows Credential Manager, where the tokens are, is the
signed-in user's), under ``\\Ledgerbridge\\``. ``schtasks`` reads the file as UTF-16.
"""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from app.scheduling.backend import Installed
from app.scheduling.runner import Runner, check, run_command
from app.scheduling.task import ScheduledTask

_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


class WindowsTaskScheduler:
    mechanism = "Windows Task Scheduler"

    def __init__(self, runner: Runner = run_command, temp_dir: Path | None = None,
                 today: date | None = None) -> None:
        self.runner = runner
        self.temp_dir = temp_dir
        self.today = today

    @staticmethod
    def task_name(task_id: str) -> str:
        return f"\\Ledgerbridge\\Daily sync {task_id}"

    def task_xml(self, task: ScheduledTask) -> str:
        start = f"{(self.today or date.today()).isoformat()}T{task.at_text}:00"
        command, arguments = task.argv[0], subprocess.list2cmdline(task.argv[1:])
        folder = (f"\n      <WorkingDirectory>{escape(task.working_directory)}"
                  "</WorkingDirectory>") if task.working_directory else ""
        return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{escape(task.description)}</Description>
    <URI>{escape(self.task_name(task.task_id))}</URI>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>{start}</StartBoundary>
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
      <Command>{escape(command)}</Command>
      <Arguments>{escape(arguments)}</Arguments>{folder}
    </Exec>
  </Actions>
</Task>
"""

    def install(self, task: ScheduledTask) -> Installed:
        folder = self.temp_dir or Path(tempfile.gettempdir())
        path = folder / f"ledgerbridge-sync-{task.task_id}.xml"
        path.write_bytes(self.task_xml(task).encode("utf-16"))  # with its byte-order mark
        try:
            check(self.runner(["schtasks", "/Create", "/TN", self.task_name(task.task_id),
                               "/XML", str(path), "/F"], None), "schtasks /Create")
        finally:
            path.unlink(missing_ok=True)
        found = self.query(task.task_id)
        return found or Installed(self.mechanism, self.task_name(task.task_id), task.at_text,
                                  subprocess.list2cmdline(task.argv), None)

    def remove(self, task_id: str) -> bool:
        if self.query(task_id) is None:
            return False
        check(self.runner(["schtasks", "/Delete", "/TN", self.task_name(task_id), "/F"],
                          None), "schtasks /Delete")
        return True

    def query(self, task_id: str) -> Installed | None:
        done = self.runner(["schtasks", "/Query", "/TN", self.task_name(task_id), "/XML"],
                           None)
        if not done.ok:
            return None  # "The system cannot find the file specified."
        try:
            root = ElementTree.fromstring(done.stdout.strip().encode("utf-8").replace(
                b'encoding="UTF-16"', b'encoding="UTF-8"'))
        except ElementTree.ParseError:
            return Installed(self.mechanism, self.task_name(task_id), None, "", None)
        start = root.findtext(".//t:CalendarTrigger/t:StartBoundary", "", _NS)
        command = " ".join(filter(None, (
            subprocess.list2cmdline([root.findtext(".//t:Exec/t:Command", "", _NS)]),
            root.findtext(".//t:Exec/t:Arguments", "", _NS))))
        enabled = root.findtext("./t:Settings/t:Enabled", "true", _NS).strip() == "true"
        return Installed(self.mechanism, self.task_name(task_id),
                         start[11:16] if len(start) >= 16 else None, command, enabled)
