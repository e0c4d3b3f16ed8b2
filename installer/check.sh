#!/usr/bin/env bash
# Checks the Windows executables and the MSI without running them (no wine needed).
#
#   bash installer/check.sh BIN_DIR OLD.msi NEW.msi OLD_VERSION NEW_VERSION
#
# BIN_DIR holds ServiceBot.exe, WebView2Loader.dll and bin/servicebot.exe as shipped; OLD.msi and
# NEW.msi package them with two versions. Prints one "ok: …" line per check.
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir="${1:?usage: check.sh BIN_DIR OLD.msi NEW.msi OLD_VERSION NEW_VERSION}"
old_msi="${2:?}"
new_msi="${3:?}"
old_version="${4:?}"
new_version="${5:?}"
upgrade_code="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bundle"]["windows"]["wix"]["upgradeCode"].upper())' src-tauri/tauri.conf.json)"

fail() {
  echo "installer check: FAILED: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }

# The executables: 64-bit PE, the desktop one without a console window.
desktop="$bin_dir/ServiceBot.exe"
cli="$bin_dir/bin/servicebot.exe"
file -b "$desktop" | grep -q '^PE32+ executable (GUI) x86-64' || fail "ServiceBot.exe is $(file -b "$desktop")"
file -b "$cli" | grep -q '^PE32+ executable (console) x86-64' || fail "servicebot.exe is $(file -b "$cli")"
file -b "$bin_dir/WebView2Loader.dll" | grep -q '^PE32+ executable (DLL)' || fail "WebView2Loader.dll is $(file -b "$bin_dir/WebView2Loader.dll")"
ok "ServiceBot.exe: $(file -b "$desktop" | cut -d, -f1); servicebot.exe: $(file -b "$cli" | cut -d, -f1)"

# Only Windows' own DLLs and WebView2Loader.dll beside it: no MinGW runtime DLLs to ship.
system_dlls='^(combase|ktmw32|kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|comctl32|comdlg32|shlwapi|uxtheme|dwmapi|uiautomationcore|propsys|ws2_32|bcrypt|bcryptprimitives|crypt32|secur32|ncrypt|ntdll|userenv|dbghelp|iphlpapi|version|winmm|msimg32|imm32|setupapi|cfgmgr32|powrprof|winspool\.drv|msvcrt|api-ms-win-[a-z0-9-]+|ucrtbase|rpcrt4|windowscodecs|d2d1|dwrite|d3d11|dxgi|opengl32|mpr|netapi32|psapi|wininet|winhttp|urlmon|ntdll|oleacc|comsvcs|dnsapi|credui|wtsapi32|sspicli)\.dll$'
# (Outputs are captured first: `grep -q` on a pipe would end objdump early, and pipefail
# would count that as a failure.)
for exe in "$desktop" "$cli"; do
  imports="$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)"
  foreign="$(grep -vE "$system_dlls" <<<"$imports" | grep -v '^webview2loader\.dll$' || true)"
  [ -z "$foreign" ] || fail "$(basename "$exe") needs DLLs that are not shipped: $foreign"
done
ok "only Windows' own DLLs and WebView2Loader.dll needed (the MinGW runtime is linked in)"

# Icon and version resources in both programs (tauri-build embeds the desktop app's, with a
# manifest; crates/cli/build.rs the command line's), read back from the PE files by
# pe-resources.py: resource types 3 (icon), 14 (icon group), 16 (version), 24 (manifest); the
# version strings are the workspace version (pre-release included), the numeric one
# major.minor.patch.0.
workspace_version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
numeric="${workspace_version%%[-+]*}.0"
field() { awk -F'\t' -v key="$1" '$1 == key { print $2 }' <<<"$resources"; }
for exe in "$desktop" "$cli"; do
  name="$(basename "$exe")"
  resources="$(python3 installer/pe-resources.py "$exe")" || fail "$name: cannot read its resources"
  needed="3 14 16"
  [ "$name" = ServiceBot.exe ] && needed="$needed 24"
  for type in $needed; do
    [[ " $(field types) " == *" $type "* ]] || fail "$name lacks resource type $type (has: $(field types))"
  done
  [ "$(field ProductName)" = ServiceBot ] || fail "$name: ProductName is '$(field ProductName)'"
  for key in FileVersion ProductVersion; do
    [ "$(field "$key")" = "$workspace_version" ] || fail "$name: $key is '$(field "$key")', not $workspace_version"
  done
  for key in FixedFileVersion FixedProductVersion; do
    [ "$(field "$key")" = "$numeric" ] || fail "$name: $key is '$(field "$key")', not $numeric"
  done
  [ -n "$(field CompanyName)" ] && [ -n "$(field FileDescription)" ] || fail "$name: no CompanyName or FileDescription"
  ok "$name: icon and version resources (ServiceBot $(field FileVersion), $numeric; «$(field FileDescription)», $(field CompanyName))"
done

# The MSI's tables.
msi_export() { msiinfo export "$1" "$2" | tail -n +4 | tr -d '\r'; }
property() { msi_export "$1" Property | awk -F'\t' -v key="$2" '$1 == key { print $2 }'; }
tables="$(msiinfo tables "$new_msi")"
for table in Shortcut Registry Upgrade LaunchCondition Component File Property; do
  grep -qx "$table" <<<"$tables" || fail "the MSI has no $table table"
done
[ "$(property "$new_msi" ProductVersion)" = "$new_version" ] || fail "ProductVersion is not $new_version"
# Per user: no ALLUSERS in the package (a per-machine install would need an administrator).
[ -z "$(property "$new_msi" ALLUSERS)" ] || fail "the MSI sets ALLUSERS=$(property "$new_msi" ALLUSERS)"
[ "$(property "$new_msi" MSIINSTALLPERUSER)" = 1 ] || fail "MSIINSTALLPERUSER=1 missing"
word_count="$(msiinfo suminfo "$new_msi" | sed -n 's/^Source: \([0-9]*\).*/\1/p')"
(( (word_count & 8) == 8 )) || fail "the summary does not say 'no elevation needed' (word count $word_count)"
msi_export "$new_msi" Shortcut | grep -qP '^ServiceBotShortcut\tProgramMenuFolder\tServiceBot\t.*\t\[INSTALLDIR\]ServiceBot\.exe\t' \
  || fail "no Start-menu shortcut to ServiceBot.exe"
msi_export "$new_msi" Registry | grep -qP '^\w+\t1\tSoftware\\Microsoft\\Windows\\CurrentVersion\\Run\tServiceBot\t"\[INSTALLDIR\]ServiceBot\.exe" --hidden\tAutostart$' \
  || fail "no HKCU Run value ServiceBot with --hidden"
msi_export "$new_msi" Component | grep -qP '^Autostart\t.*\tAUTOSTART="1"' || fail "the autostart is not conditional on AUTOSTART"
[ "$(property "$new_msi" AUTOSTART)" = 1 ] || fail "AUTOSTART does not default to 1"
msi_export "$new_msi" Upgrade | grep -qP "^\\{$upgrade_code\\}\\t.*WIX_UPGRADE_DETECTED" || fail "no Upgrade row for {$upgrade_code}"
msi_export "$new_msi" Upgrade | grep -qP "^\\{$upgrade_code\\}\\t.*WIX_DOWNGRADE_DETECTED" || fail "no downgrade detection"
msi_export "$new_msi" LaunchCondition | grep -q 'Уже установлена более новая версия ServiceBot' || fail "no Russian downgrade message"
msi_export "$new_msi" LaunchCondition | grep -q 'WEBVIEW2_USER.*нужен Microsoft Edge WebView2 Runtime' || fail "no WebView2 check"
msi_export "$new_msi" Directory | grep -qP '^ProgramsDir\tLocalAppDataFolder\tPrograms$' || fail "not installed under %LOCALAPPDATA%\\Programs"
msi_export "$new_msi" Environment | grep -qP '^UserPath\t=-Path\t\[~\];\[BINDIR\]\tCli$' || fail "bin is not added to the user's PATH"
ok "MSI tables: Shortcut, Registry (Run value ServiceBot, --hidden, if AUTOSTART=1), Upgrade {$upgrade_code}, WebView2 and downgrade conditions in Russian, no ALLUSERS + MSIINSTALLPERUSER=1, no elevation, bin on the user PATH"

# Two versions: one UpgradeCode, two ProductCodes.
[ "$(property "$old_msi" UpgradeCode)" = "$(property "$new_msi" UpgradeCode)" ] || fail "the UpgradeCodes differ"
[ "$(property "$old_msi" ProductCode)" != "$(property "$new_msi" ProductCode)" ] || fail "both versions have one ProductCode"
[ "$(property "$old_msi" ProductVersion)" = "$old_version" ] || fail "the old MSI is not $old_version"
ok "$old_version and $new_version: UpgradeCode $(property "$new_msi" UpgradeCode) in both, ProductCodes $(property "$old_msi" ProductCode) and $(property "$new_msi" ProductCode)"

# Tauri's bundler renders the same template (ServiceBot.wxs): its rendering must describe the
# installation this MSI makes (installer/wxs.py; the MSI of the workspace version).
python3 installer/wxs.py check-tauri "$old_msi" || fail "Tauri's rendering of ServiceBot.wxs disagrees with the wixl MSI"

# The files inside are the ones built.
extracted="$(mktemp -d)"
trap 'rm -rf "$extracted"' EXIT
msiextract -C "$extracted" "$new_msi" >/dev/null
for file in ServiceBot.exe WebView2Loader.dll bin/servicebot.exe; do
  found="$(find "$extracted" -path "*/ServiceBot/$file" -type f | head -1)"
  [ -n "$found" ] || fail "msiextract gave no $file"
  cmp -s "$found" "$bin_dir/$file" || fail "the $file in the MSI is not the one built"
done
ok "msiextract yields ServiceBot.exe, WebView2Loader.dll and bin/servicebot.exe, byte for byte"

size="$(stat -c %s "$new_msi")"
(( size <= 15 * 1024 * 1024 )) || fail "the MSI is $size bytes, over 15 MB"
ok "MSI size $((size / 1024)) KiB (≤ 15 MB)"
