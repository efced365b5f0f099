#!/bin/sh
# Install this unpacked Ledgerbridge bundle for the signed-in user (no root needed):
#   ./install.sh             the menu entry and the `ledgerbridge` command
#   ./install.sh --uninstall remove both (the bundle folder and the data stay)
# The bundle runs from where it was unpacked (e.g. ~/.local/opt/Ledgerbridge): the menu
# entry written to ~/.local/share/applications names this folder's program and icon by
# absolute path (a desktop entry has no "beside me"), so run this again after moving it.
# ~/.local/bin/ledgerbridge starts this folder's ledgerbridge-cli, the command line.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
APPS="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
BIN="$HOME/.local/bin"
ENTRY="$APPS/ledgerbridge.desktop"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$ENTRY" "$BIN/ledgerbridge"
    echo "Removed the menu entry and the ledgerbridge command; $HERE and your data are kept."
    exit 0
fi
[ -x "$HERE/Ledgerbridge" ] && [ -x "$HERE/ledgerbridge-cli" ] || {
    echo "install.sh must stay in the unpacked Ledgerbridge folder (beside Ledgerbridge and ledgerbridge-cli)" >&2
    exit 2
}

# Exec= is a quoted argument: \ " ` $ escaped with \ inside the quotes, then every \
# doubled (the string escape, applied first when read: "$" is written \\$), % doubled (a
# field code otherwise). Icon= is a plain string: only \ is doubled.
exec_path=$(printf '%s' "$HERE/Ledgerbridge" \
    | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
icon_path=$(printf '%s' "$HERE/ledgerbridge.png" | sed -e 's/\\/\\\\/g')
mkdir -p "$APPS" "$BIN"
{
    grep -v -e '^Exec=' -e '^Icon=' -e '^TryExec=' "$HERE/ledgerbridge.desktop"
    printf 'Exec="%s"\n' "$exec_path"
    printf 'Icon=%s\n' "$icon_path"
} > "$ENTRY.tmp"
mv "$ENTRY.tmp" "$ENTRY"
quoted=$(printf '%s' "$HERE/ledgerbridge-cli" | sed "s/'/'\\\\''/g")
printf "#!/bin/sh\nexec '%s' \"\$@\"\n" "$quoted" > "$BIN/ledgerbridge"
chmod 755 "$BIN/ledgerbridge"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" || true
echo "Ledgerbridge is in your applications menu ($ENTRY)."
echo "The command line: $BIN/ledgerbridge (the same as $HERE/ledgerbridge-cli)."
case ":$PATH:" in
    *":$BIN:"*) ;;
    *) echo "Add $BIN to your PATH to type just 'ledgerbridge' (most desktops have it after the next sign-in)." ;;
esac
