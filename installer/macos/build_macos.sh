#!/bin/bash
# Build Ledgerbridge.app and its disk image (on a Mac, from the repository root):
#   installer/macos/build_macos.sh
# 1. build/venv with the app's dependencies and PyInstaller; 2. the .app (the one-folder
# build wrapped by installer/ledgerbridge.spec); 3. its self-test offscreen in a temporary
# home; 4. signing — ad hoc unless CODESIGN_IDENTITY names a "Developer ID Application"
# certificate (notarisation, with Apple credentials, is a separate step: xcrun notarytool) —
# then codesign --verify and the self-test again: signing rewrites every binary (and the
# hardened runtime can refuse a library), so the app that ships is the one tested;
# 5. build/Ledgerbridge-<version>-macos.dmg (the app and a link to /Applications, hdiutil).
# Needs Python 3.11+ (PYTHON=/path/to/python3.11 to choose it) and the Xcode command-line tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)
echo "[build] Ledgerbridge $VERSION"

[ -x build/venv/bin/python ] || "$PYTHON" -m venv build/venv
build/venv/bin/python -m pip install --quiet --upgrade pip
build/venv/bin/python -m pip install --quiet -e ".[build]"
build/venv/bin/python -m PyInstaller --noconfirm --clean --distpath build/dist \
    --workpath build/work installer/ledgerbridge.spec

APP=build/dist/Ledgerbridge.app
self_test() {  # $1: "unsigned" or "signed"; sets START and END around the self-test
    local home
    home=$(mktemp -d)
    START=$(python3 -c 'import time; print(time.time())')
    QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/Ledgerbridge" --home "$home/lb" --self-test
    END=$(python3 -c 'import time; print(time.time())')
    "$APP/Contents/MacOS/ledgerbridge-cli" --version
    echo "[build] self-test of the $1 app passed"
}
self_test unsigned  # fails fast, before the signing identity is used

codesign --force --deep --options runtime --sign "${CODESIGN_IDENTITY:--}" "$APP"
codesign --verify --deep --strict "$APP"
self_test signed  # what ships: signed, verified, and still working

STAGING=$(mktemp -d)
cp -R "$APP" "$STAGING/"
ln -s /Applications "$STAGING/Applications"
DMG="build/Ledgerbridge-$VERSION-macos.dmg"
hdiutil create -volname "Ledgerbridge $VERSION" -srcfolder "$STAGING" -ov -format UDZO "$DMG"
echo "[build] $APP: $(du -sh "$APP" | cut -f1); self-test process $(python3 -c "print(f'{$END - $START:.2f}')") s; $DMG: $(du -sh "$DMG" | cut -f1)"
