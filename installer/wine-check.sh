#!/usr/bin/env bash
# Installs, upgrades, downgrades and uninstalls ServiceBot's MSI under Debian's wine, in a fresh
# wine prefix of its own, as a dealer's user would (no administrator), and checks each step.
#
#   bash installer/wine-check.sh OLD.msi NEW.msi OLD_VERSION NEW_VERSION [TAURI_OLD.msi TAURI_NEW.msi]
#
# OLD.msi and NEW.msi are the same program packaged with two versions (build-msi.sh's VERSION);
# TAURI_*.msi the same two versions from the template as Tauri's bundler renders it
# (build-msi.sh --as-tauri): each kind must upgrade an installation made by the other.
# Prints one "ok: …" line per check and the timings ("time: …") for installer/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

old_msi="$(realpath "${1:?usage: wine-check.sh OLD.msi NEW.msi OLD_VERSION NEW_VERSION}")"
new_msi="$(realpath "${2:?}")"
old_version="${3:?}"
new_version="${4:?}"
tauri_old_msi="${5:+$(realpath "$5")}"
tauri_new_msi="${6:+$(realpath "$6")}"

work="$(mktemp -d)"
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all
# No Mono or Gecko download prompts; neither is needed.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  [ -n "${KEEP_WINE_PREFIX:-}" ] && echo "wine-check: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "wine-check: FAILED: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }
ms() { date +%s%3N; }

started="$(ms)"
wineboot --init >/dev/null 2>&1
wineserver -w
echo "time: wine prefix created in $(($(ms) - started)) ms"

# Rust's standard library (1.78+) needs bcryptprimitives!ProcessPrng, which wine 8 lacks:
# a stub forwarding to advapi32's RtlGenRandom, for this prefix only (never in the MSI).
system32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -e "$system32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$system32/bcryptprimitives.dll" \
    installer/wine/bcryptprimitives.c installer/wine/bcryptprimitives.def -ladvapi32
fi

user="$(id -un)"
profile="$WINEPREFIX/drive_c/users/$user"
program_dir="$profile/AppData/Local/Programs/ServiceBot"
shortcut="$profile/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/ServiceBot.lnk"
appdata="$profile/AppData/Roaming/ServiceBot"
run_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'
webview2_key='HKCU\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}'

# msiexec without a UI; prints its exit code (0 done; wine passes only the low byte of 1603,
# "refused or failed", so 67), keeps a verbose log and wine's msi trace.
msi() {
  local name="$1"
  shift
  local code=0
  WINEDEBUG=trace+msi wine msiexec "$@" /qn /l*v "$(winepath -w "$work/msiexec-$name.log")" \
    >/dev/null 2>"$work/trace-$name.log" || code=$?
  wineserver -w
  echo "$code"
}
log_text() { iconv -f CP1251 -t UTF-8 "$work/msiexec-$1.log" 2>/dev/null || cat "$work/msiexec-$1.log"; }
# Whether the launch condition starting with $2 was false in run $1. Wine shows a launch
# condition's message only in a message box (none with /qn) and never logs it, so the trace
# says which condition refused; installer/check.sh checks the Russian texts in the tables.
refused_by() { grep -aqF "MSI_EvaluateConditionW 0 <- L\"$2" "$work/trace-$1.log"; }
reg_value() {
  wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v name="$2" '$1 == name { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}
# The packed ProductCode of MSI $1, as Windows Installer writes it into the registry.
packed_code() {
  local code
  code="$(msiinfo export "$1" Property | tr -d '\r' | awk -F'\t' '$1 == "ProductCode" { print $2 }')"
  python3 -c 'import sys,uuid; h=uuid.UUID(sys.argv[1]).hex.upper(); print(h[7::-1]+h[11:7:-1]+h[15:11:-1]+"".join(h[i+1]+h[i] for i in range(16,32,2)))' "$code"
}
# Whether the product in MSI $1 is registered at all (for the user or the machine).
registered() { grep -qF "$(packed_code "$1")" "$WINEPREFIX/user.reg" "$WINEPREFIX/system.reg"; }
# Whether it is registered for this user only (HKCU\Software\Microsoft\Installer\Products).
registered_per_user() {
  grep -qF "[Software\\\\Microsoft\\\\Installer\\\\Products\\\\$(packed_code "$1")]" "$WINEPREFIX/user.reg" \
    && ! grep -qF "Classes\\\\Installer\\\\Products\\\\$(packed_code "$1")" "$WINEPREFIX/system.reg"
}
cli() {
  wine "$(winepath -w "$program_dir/bin/servicebot.exe")" "$@" 2>&1 | tr -d '\r'
}

# 1. Without the WebView2 runtime the install is refused with the Russian message.
code="$(msi no-webview2 /i "$(winepath -w "$old_msi")")"
[ "$code" != 0 ] || fail "installed without the WebView2 runtime"
refused_by no-webview2 'Installed OR (WEBVIEW2_MACHINE' \
  || fail "the install without WebView2 failed (exit $code), but not at the WebView2 check"
[ ! -e "$program_dir" ] || fail "a refused install left $program_dir"
ok "without WebView2 the install is refused (exit $code) by the WebView2 launch condition"

# Windows 10 and 11 have the runtime; here its registration is faked for this user.
wine reg add "$webview2_key" /v pv /d 120.0.2210.91 /f >/dev/null 2>&1

# 2. Per-user install of the old version, autostart on by default.
started="$(ms)"
code="$(msi install /i "$(winepath -w "$old_msi")")"
install_ms=$(($(ms) - started))
[ "$code" = 0 ] || fail "install exited $code: $(log_text install | grep -iE 'error|note' | head -5)"
for file in ServiceBot.exe bin/servicebot.exe WebView2Loader.dll; do
  [ -f "$program_dir/$file" ] || fail "$file is not in $program_dir"
done
[ -f "$shortcut" ] || fail "no Start-menu shortcut at $shortcut"
registered_per_user "$old_msi" || fail "the product is not registered for this user only"
[[ "$(reg_value 'HKCU\Environment' Path)" == *'\Programs\ServiceBot\bin\'* ]] \
  || fail "the user's PATH lacks ServiceBot\\bin: $(reg_value 'HKCU\Environment' Path)"
run_value="$(reg_value "$run_key" ServiceBot)"
[[ "$run_value" == *'\AppData\Local\Programs\ServiceBot\ServiceBot.exe" --hidden' ]] \
  || fail "the Run value is '$run_value'"
[ "$(reg_value 'HKCU\Software\ServiceBot\Installer' Version)" = "$old_version" ] \
  || fail "the installed version is not $old_version"
ok "installed per user in $install_ms ms: registered in HKCU, programs in %LOCALAPPDATA%\\Programs\\ServiceBot, bin on the user's PATH, Start-menu shortcut, Run value $run_value"
echo "time: install $install_ms ms"

# 3. The headless program runs: its version, and check-config on a config in %APPDATA%.
version_line="$(cli --version)"
[[ "$version_line" == *"$old_version"* ]] || fail "servicebot.exe --version said '$version_line'"
ok "servicebot.exe --version: $version_line"
mkdir -p "$appdata" "$WINEPREFIX/drive_c/Orders/ЗН-004512 А123ВС77" "$WINEPREFIX/drive_c/Orders/a000172185 closed"
printf '+7 912 345-67-89\r\n' >"$WINEPREFIX/drive_c/Orders/ЗН-004512 А123ВС77/phone.txt"
# A token of the right shape (check-config never calls Telegram) and a Windows root.
printf '[telegram]\ntoken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"\n[orders]\nroot = '\''C:\\Orders'\''\n' \
  >"$appdata/config.toml"
report="$(cli check-config)" || fail "check-config failed: $report"
grep -q 'open orders: *1$' <<<"$report" || fail "check-config did not find the one open order: $report"
grep -qF 'C:\users\' <<<"$report" || fail "check-config does not use %APPDATA%: $report"
ok "servicebot.exe check-config: %APPDATA%\\ServiceBot\\config.toml read, 1 open order in C:\\Orders (closed one skipped, Cyrillic names)"
cli users list >/dev/null || fail "users list failed (the database in %APPDATA%\\ServiceBot)"
database="$(find "$appdata" -maxdepth 1 -name '*.sqlite*' -o -maxdepth 1 -name '*.db' | head -1)"
[ -n "$database" ] || fail "no database in $appdata: $(ls "$appdata")"
config_sum="$(sha256sum <"$appdata/config.toml")"
database_sum="$(sha256sum <"$database")"
ok "the database is $(basename "$database") in %APPDATA%\\ServiceBot"

# 4. Upgrade in place. The user had turned autostart off in the app: it stays off.
wine reg delete "$run_key" /v ServiceBot /f >/dev/null 2>&1
started="$(ms)"
code="$(msi upgrade /i "$(winepath -w "$new_msi")")"
upgrade_ms=$(($(ms) - started))
[ "$code" = 0 ] || fail "upgrade exited $code"
[ "$(reg_value 'HKCU\Software\ServiceBot\Installer' Version)" = "$new_version" ] \
  || fail "after the upgrade the installed version is not $new_version"
registered "$old_msi" && fail "after the upgrade the old version is still registered"
registered "$new_msi" || fail "after the upgrade the new version is not registered"
[ "$(sha256sum <"$appdata/config.toml")" = "$config_sum" ] || fail "the upgrade changed the config"
[ "$(sha256sum <"$database")" = "$database_sum" ] || fail "the upgrade changed the database"
[ -f "$program_dir/bin/servicebot.exe" ] || fail "servicebot.exe is gone after the upgrade"
[ -z "$(reg_value "$run_key" ServiceBot)" ] || fail "the upgrade turned autostart back on"
cli --version >/dev/null || fail "servicebot.exe does not run after the upgrade"
ok "upgraded $old_version -> $new_version in $upgrade_ms ms: one product registered, config and database untouched, autostart left off"
echo "time: upgrade $upgrade_ms ms"

# 5. A downgrade is refused with the Russian message, and the newer version stays.
code="$(msi downgrade /i "$(winepath -w "$old_msi")")"
[ "$code" != 0 ] || fail "the downgrade was not refused"
refused_by downgrade 'NOT WIX_DOWNGRADE_DETECTED' \
  || fail "the downgrade failed (exit $code), but not at the downgrade check"
[ "$(reg_value 'HKCU\Software\ServiceBot\Installer' Version)" = "$new_version" ] \
  || fail "the refused downgrade changed the installed version"
ok "downgrade to $old_version refused (exit $code) by the downgrade launch condition"

# 6. Uninstall: the program, shortcut and registry values go; config and database stay.
code="$(msi uninstall /x "$(winepath -w "$new_msi")")"
[ "$code" = 0 ] || fail "uninstall exited $code"
[ ! -e "$program_dir/ServiceBot.exe" ] && [ ! -e "$program_dir/bin/servicebot.exe" ] \
  || fail "the program is still in $program_dir"
[ ! -e "$program_dir" ] || echo "note: $program_dir is left (empty: $(ls -A "$program_dir" | wc -l) entries)"
[ ! -e "$shortcut" ] || fail "the Start-menu shortcut is still there"
[ -z "$(reg_value 'HKCU\Software\ServiceBot\Installer' Version)" ] || fail "the install record is still there"
! registered "$new_msi" || fail "the product is still registered"
[[ "$(reg_value 'HKCU\Environment' Path)" != *'\Programs\ServiceBot\bin\'* ]] || fail "the user's PATH still has ServiceBot\\bin"
[ "$(sha256sum <"$appdata/config.toml")" = "$config_sum" ] || fail "the uninstall touched the config"
[ "$(sha256sum <"$database")" = "$database_sum" ] || fail "the uninstall touched the database"
ok "uninstalled: program, shortcut, PATH entry and registration gone, config and database kept"

# 7. AUTOSTART=0 on a fresh install writes no Run value; the uninstall then leaves none.
code="$(msi no-autostart /i "$(winepath -w "$new_msi")" AUTOSTART=0)"
[ "$code" = 0 ] || fail "install with AUTOSTART=0 exited $code"
[ -z "$(reg_value "$run_key" ServiceBot)" ] || fail "AUTOSTART=0 still wrote the Run value"
code="$(msi no-autostart-uninstall /x "$(winepath -w "$new_msi")")"
[ "$code" = 0 ] || fail "the second uninstall exited $code"
ok "AUTOSTART=0 installs without the Run value"

# 8. Tauri's bundler and this MSI make one installation: each upgrades the other in place.
[ -n "$tauri_old_msi" ] || exit 0
cross_upgrade() { # FROM.msi TO.msi FROM_NAME TO_NAME
  code="$(msi "cross-$3" /i "$(winepath -w "$1")")"
  [ "$code" = 0 ] || fail "installing the $3 MSI exited $code"
  registered_per_user "$1" || fail "the $3 MSI is not registered for this user only"
  code="$(msi "cross-$4" /i "$(winepath -w "$2")")"
  [ "$code" = 0 ] || fail "the $4 MSI did not upgrade the $3 one (exit $code)"
  registered "$1" && fail "after the $4 MSI's upgrade the $3 one is still registered"
  registered_per_user "$2" || fail "after the upgrade the $4 MSI is not registered for this user only"
  [ "$(reg_value 'HKCU\Software\ServiceBot\Installer' Version)" = "$new_version" ] \
    || fail "after the $3 -> $4 upgrade the installed version is not $new_version"
  [ -f "$program_dir/ServiceBot.exe" ] && [ -f "$program_dir/bin/servicebot.exe" ] \
    || fail "after the $3 -> $4 upgrade the programs are not in $program_dir"
  [ -n "$(reg_value "$run_key" ServiceBot)" ] || fail "after the $3 -> $4 upgrade the Run value is gone"
  [ "$(sha256sum <"$appdata/config.toml")" = "$config_sum" ] || fail "the $3 -> $4 upgrade changed the config"
  [ "$(sha256sum <"$database")" = "$database_sum" ] || fail "the $3 -> $4 upgrade changed the database"
  cli --version >/dev/null || fail "servicebot.exe does not run after the $3 -> $4 upgrade"
  code="$(msi "cross-$4-uninstall" /x "$(winepath -w "$2")")"
  [ "$code" = 0 ] || fail "uninstalling the $4 MSI exited $code"
  [ ! -e "$program_dir/ServiceBot.exe" ] || fail "uninstalling the $4 MSI left ServiceBot.exe"
  [ "$(sha256sum <"$database")" = "$database_sum" ] || fail "uninstalling the $4 MSI touched the database"
  ok "$3 MSI $old_version -> $4 MSI $new_version: upgraded in place (one product, per user, programs, Run value, config and database kept), then uninstalled"
}
cross_upgrade "$old_msi" "$tauri_new_msi" wixl Tauri-rendered
cross_upgrade "$tauri_old_msi" "$new_msi" Tauri-rendered wixl
