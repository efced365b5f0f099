; Inno Setup 6: the Windows installer of the one-folder build (build\dist\Ledgerbridge).
; installer\windows\build_windows.ps1 builds the folder, then runs:
;   iscc /DAppVersion=X.Y.Z installer\windows\ledgerbridge.iss
; -> build\Ledgerbridge-X.Y.Z-windows-setup.exe
;
; Installs for the current user by default (no administrator needed; the dialog offers
; "all users"). An upgrade installs over the same AppId: the local database is in the
; user's AppData folder, untouched by setup, and migrates forward when the new version
; first opens it. Uninstalling keeps that data folder (the books' working state, which an
; accountant may still need) and removes the daily sync's scheduled tasks, which would
; otherwise run a program that is gone.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=X.Y.Z ledgerbridge.iss
#endif
#define SourceDir "..\..\build\dist\Ledgerbridge"

[Setup]
AppId={{6F1C2B7E-4C1B-4E0F-9B55-2B7F0E1C9A31}
AppName=Ledgerbridge
AppVersion={#AppVersion}
AppVerName=Ledgerbridge {#AppVersion}
AppPublisher=Ledgerbridge
DefaultDirName={autopf}\Ledgerbridge
DefaultGroupName=Ledgerbridge
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\build
OutputBaseFilename=Ledgerbridge-{#AppVersion}-windows-setup
SetupIconFile=..\..\resources\icons\ledgerbridge.ico
UninstallDisplayIcon={app}\Ledgerbridge.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole program folder: no module of the old version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Ledgerbridge"; Filename: "{app}\Ledgerbridge.exe"
Name: "{autodesktop}\Ledgerbridge"; Filename: "{app}\Ledgerbridge.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Ledgerbridge.exe"; Description: "{cm:LaunchProgram,Ledgerbridge}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; The daily sync's tasks (\Ledgerbridge\Daily sync <id>, app/scheduling/windows.py).
Filename: "powershell.exe"; Parameters: "-NoProfile -NonInteractive -Command ""Get-ScheduledTask -TaskPath '\Ledgerbridge\' -ErrorAction SilentlyContinue | Unregister-ScheduledTask -Confirm:$false"""; Flags: runhidden; RunOnceId: "RemoveDailySync"
