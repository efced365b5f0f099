# Build the Windows installer (on Windows, from the repository root, in PowerShell):
#   .\installer\windows\build_windows.ps1 [-Python "py -3.11"]
# 1. build\venv with the app's dependencies and PyInstaller; 2. the one-folder build
# (installer\ledgerbridge.spec); 3. its self-test offscreen, in a temporary home (the
# window has no console, so the report is read from the home's logs\self-test.txt);
# 4. Inno Setup (iscc) -> build\Ledgerbridge-<version>-windows-setup.exe.
# Needs Python 3.11+ and Inno Setup 6 (https://jrsoftware.org; `choco install innosetup`).
param([string]$Python = "py -3.11")
$ErrorActionPreference = "Stop"
$Root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $Root

$Version = (Select-String -Path "app\__init__.py" -Pattern '^__version__ = "(.+)"').Matches[0].Groups[1].Value
Write-Host "[build] Ledgerbridge $Version"

if (-not (Test-Path "build\venv\Scripts\python.exe")) {
    Invoke-Expression "$Python -m venv build\venv"
}
$Py = "build\venv\Scripts\python.exe"
& $Py -m pip install --quiet --upgrade pip
& $Py -m pip install --quiet -e ".[build]"
if ($LASTEXITCODE) { throw "pip install failed" }

& $Py -m PyInstaller --noconfirm --clean --distpath build\dist --workpath build\work installer\ledgerbridge.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

$TestHome = Join-Path ([System.IO.Path]::GetTempPath()) ("lb-selftest-" + [guid]::NewGuid())
$env:QT_QPA_PLATFORM = "offscreen"
$Clock = [System.Diagnostics.Stopwatch]::StartNew()
$Run = Start-Process -FilePath "build\dist\Ledgerbridge\Ledgerbridge.exe" -ArgumentList @("--home", "`"$TestHome`"", "--self-test") -Wait -PassThru
$Clock.Stop()
$Report = Get-Content (Join-Path $TestHome "logs\self-test.txt") -Raw
Write-Host $Report
if ($Run.ExitCode -ne 0 -or -not $Report.StartsWith("self-test ok")) { throw "the bundle's self-test failed" }
& "build\dist\Ledgerbridge\ledgerbridge-cli.exe" --version
if ($LASTEXITCODE) { throw "ledgerbridge-cli failed" }
if (-not (Test-Path "build\dist\Ledgerbridge\ledgerbridge-task.exe")) { throw "ledgerbridge-task.exe is missing" }

$Iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $Iscc "/DAppVersion=$Version" "installer\windows\ledgerbridge.iss"
if ($LASTEXITCODE) { throw "Inno Setup failed" }

$Size = (Get-ChildItem -Recurse "build\dist\Ledgerbridge" | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("[build] folder {0:N0} MB; self-test process {1:N2} s; installer build\Ledgerbridge-{2}-windows-setup.exe" -f $Size, $Clock.Elapsed.TotalSeconds, $Version)
