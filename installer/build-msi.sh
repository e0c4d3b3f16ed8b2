#!/usr/bin/env bash
# Builds ServiceBot's MSI with wixl (msitools) from executables already cross-built.
#
#   bash installer/build-msi.sh BIN_DIR OUT.msi [VERSION]
#
# BIN_DIR is laid out as installed: ServiceBot.exe, WebView2Loader.dll, bin/servicebot.exe
# (Windows names ignore case, so the two programs cannot share a folder). VERSION defaults to the
# workspace version (Cargo.toml [workspace.package]); a pre-release suffix (-beta.1) is dropped,
# as an MSI version is numbers only. The UpgradeCode is read from src-tauri/tauri.conf.json (the
# one Tauri's own bundler would use), and the ProductCode is derived from it and the version:
# the same version always gets the same ProductCode, a new version a new one.
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir="${1:?usage: build-msi.sh BIN_DIR OUT.msi [VERSION]}"
out="${2:?usage: build-msi.sh BIN_DIR OUT.msi [VERSION]}"
version="${3:-$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)}"
version="${version%%-*}"
version="${version%%+*}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build-msi: '$version' is not a version an MSI takes (N.N.N)" >&2
  exit 1
fi

upgrade_code="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bundle"]["windows"]["wix"]["upgradeCode"])' src-tauri/tauri.conf.json)"
product_code="$(python3 -c 'import uuid,sys; print(uuid.uuid5(uuid.UUID(sys.argv[1]), "ServiceBot " + sys.argv[2]))' "$upgrade_code" "$version")"

# wixl wants relative Source paths: everything is staged in one folder.
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/bin"
for file in ServiceBot.exe WebView2Loader.dll bin/servicebot.exe; do
  [ -f "$bin_dir/$file" ] || { echo "build-msi: $bin_dir/$file is missing" >&2; exit 1; }
  cp "$bin_dir/$file" "$stage/$file"
done
cp installer/ServiceBot.wxs "$stage/"
cp src-tauri/icons/icon.ico "$stage/ServiceBot.ico"

(
  cd "$stage"
  wixl --arch x64 -D Version="$version" -D ProductCode="$product_code" \
    -D UpgradeCode="${upgrade_code^^}" -o ServiceBot.msi ServiceBot.wxs
)
msi="$stage/ServiceBot.msi"

# The tables' codepage, then the Russian texts (stored in 1251 from here on).
printf '\r\n\r\n1251\t_ForceCodepage\r\n' >"$stage/_ForceCodepage.idt"
msibuild "$msi" -i "$stage/_ForceCodepage.idt"
while IFS=$'\t' read -r table column placeholder text; do
  case "$table" in '' | '#'*) continue ;; esac
  if [[ "$text" == *"'"* ]] || ! printf '%s' "$text" | iconv -f UTF-8 -t CP1251 >/dev/null 2>&1; then
    echo "build-msi: the text for $placeholder has an apostrophe or a character outside codepage 1251" >&2
    exit 1
  fi
  msibuild "$msi" -q "UPDATE \`$table\` SET \`$column\` = '$text' WHERE \`$column\` = '$placeholder'"
done <installer/texts-ru.tsv
if msiinfo export "$msi" LaunchCondition Property Shortcut 2>/dev/null | grep -q 'TEXT_[A-Z0-9_]*'; then
  echo "build-msi: a TEXT_ placeholder has no text in installer/texts-ru.tsv" >&2
  exit 1
fi

# Start with Windows only when asked (AUTOSTART=1, the default) and, on an upgrade, only if
# it was on before: wixl takes no Condition under a Component, so it is set here.
msibuild "$msi" -q "UPDATE \`Component\` SET \`Condition\` = 'AUTOSTART=\"1\" AND (NOT WIX_UPGRADE_DETECTED OR AUTOSTART_BEFORE)' WHERE \`Component\` = 'Autostart'"

# The headless program's folder on the user's PATH (appended; removed on uninstall), so
# `servicebot users promote …` works in any terminal. wixl has no Environment element.
msibuild "$msi" -q "CREATE TABLE \`Environment\` (\`Environment\` CHAR(72) NOT NULL, \`Name\` CHAR(255) NOT NULL LOCALIZABLE, \`Value\` CHAR(255) LOCALIZABLE, \`Component_\` CHAR(72) NOT NULL PRIMARY KEY \`Environment\`)"
msibuild "$msi" -q "INSERT INTO \`Environment\` (\`Environment\`, \`Name\`, \`Value\`, \`Component_\`) VALUES ('UserPath', '=-Path', '[~];[BINDIR]', 'Cli')"
msibuild "$msi" -q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveEnvironmentStrings', 3300)"
msibuild "$msi" -q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('WriteEnvironmentStrings', 5200)"

mkdir -p "$(dirname "$out")"
mv "$msi" "$out"
echo "build-msi: $out (version $version, ProductCode {${product_code^^}})" >&2
