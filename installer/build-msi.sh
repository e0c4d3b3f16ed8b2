#!/usr/bin/env bash
# Builds ServiceBot's MSI with wixl (msitools) from executables already cross-built.
#
#   bash installer/build-msi.sh [--as-tauri] BIN_DIR OUT.msi [VERSION]
#
# BIN_DIR is laid out as installed: ServiceBot.exe, WebView2Loader.dll, bin/servicebot.exe
# (Windows names ignore case, so the two programs cannot share a folder). VERSION defaults to the
# workspace version (Cargo.toml [workspace.package]); a pre-release suffix (-beta.1) is dropped,
# as an MSI version is numbers only. installer/ServiceBot.wxs is the Handlebars template Tauri's
# bundler uses too: it is rendered here (installer/wxs.py) with the values Tauri would pass
# (product name, publisher and UpgradeCode from src-tauri/tauri.conf.json) and the ProductCode,
# derived from the UpgradeCode and the version: the same version always gets the same
# ProductCode, a new version a new one. With --as-tauri it renders the template as Tauri's
# bundler does instead (a new ProductCode each build, no WebView2Loader.dll, the command line
# through TAURI_SERVICEBOT_CLI): wixl's nearest to the MSI `cargo tauri build` makes, for the
# cross-upgrade checks in wine-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

as_tauri=
if [ "${1:-}" = --as-tauri ]; then
  as_tauri=1
  shift
fi
bin_dir="${1:?usage: build-msi.sh [--as-tauri] BIN_DIR OUT.msi [VERSION]}"
out="${2:?usage: build-msi.sh BIN_DIR OUT.msi [VERSION]}"
version="${3:-$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)}"
version="${version%%-*}"
version="${version%%+*}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build-msi: '$version' is not a version an MSI takes (N.N.N)" >&2
  exit 1
fi

# From tauri.conf.json, as Tauri's bundler reads them (its manufacturer: the publisher, else
# the identifier's second part).
IFS=$'\t' read -r upgrade_code product_name manufacturer < <(python3 -c '
import json
c = json.load(open("src-tauri/tauri.conf.json"))
print(c["bundle"]["windows"]["wix"]["upgradeCode"], c["productName"],
      c["bundle"].get("publisher") or c["identifier"].split(".")[1], sep="\t")')
product_code="$(python3 -c 'import uuid,sys; print(uuid.uuid5(uuid.UUID(sys.argv[1]), "ServiceBot " + sys.argv[2]))' "$upgrade_code" "$version")"

# wixl wants relative Source paths: everything is staged in one folder.
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/bin"
for file in ServiceBot.exe WebView2Loader.dll bin/servicebot.exe; do
  [ -f "$bin_dir/$file" ] || { echo "build-msi: $bin_dir/$file is missing" >&2; exit 1; }
  cp "$bin_dir/$file" "$stage/$file"
done
cp src-tauri/icons/icon.ico "$stage/ServiceBot.ico"
if [ -n "$as_tauri" ]; then
  python3 installer/wxs.py render --tauri-for-wixl version="$version" \
    main_binary_path=ServiceBot.exe icon_path=ServiceBot.ico >"$stage/ServiceBot.wxs"
else
  # GUIDs in MSI tables are upper case (Tauri's WiX upper-cases the one it is given).
  python3 installer/wxs.py render --wixl product_name="$product_name" manufacturer="$manufacturer" \
    version="$version" upgrade_code="${upgrade_code^^}" product_code="${product_code^^}" \
    main_binary_path=ServiceBot.exe icon_path=ServiceBot.ico \
    webview2_loader_path=WebView2Loader.dll cli_path=bin/servicebot.exe >"$stage/ServiceBot.wxs"
fi

(
  cd "$stage"
  TAURI_SERVICEBOT_CLI=bin/servicebot.exe wixl --arch x64 -o ServiceBot.msi ServiceBot.wxs
)
msi="$stage/ServiceBot.msi"
product_code="$(msiinfo export "$msi" Property | tr -d '\r' | awk -F'\t' '$1 == "ProductCode" { print $2 }')"

# The tables' codepage, then the Russian texts of ServiceBot.ru-RU.wxl in place of their
# TEXT_ placeholders (stored in 1251 from here on).
printf '\r\n\r\n1251\t_ForceCodepage\r\n' >"$stage/_ForceCodepage.idt"
msibuild "$msi" -i "$stage/_ForceCodepage.idt"
python3 installer/wxs.py texts >"$stage/texts.tsv"
while IFS=$'\t' read -r placeholder text; do
  if [[ "$text" == *"'"* ]] || ! printf '%s' "$text" | iconv -f UTF-8 -t CP1251 >/dev/null 2>&1; then
    echo "build-msi: the text of $placeholder has an apostrophe or a character outside codepage 1251" >&2
    exit 1
  fi
  for table_column in LaunchCondition.Description Property.Value Shortcut.Description; do
    table="${table_column%.*}" column="${table_column#*.}"
    msibuild "$msi" -q "UPDATE \`$table\` SET \`$column\` = '$text' WHERE \`$column\` = '$placeholder'"
  done
done <"$stage/texts.tsv"
if msiinfo export "$msi" LaunchCondition Property Shortcut 2>/dev/null | grep -q 'TEXT_[A-Za-z0-9_]*'; then
  echo "build-msi: a TEXT_ placeholder is left in a table build-msi.sh does not fill" >&2
  exit 1
fi

# Start with Windows only when asked (AUTOSTART=1, the default) and, on an upgrade, only if
# it was on before: wixl takes no Condition under a Component, so it is set here (the same
# text as the template's Condition for WiX; wxs.py check-tauri compares them).
msibuild "$msi" -q "UPDATE \`Component\` SET \`Condition\` = 'AUTOSTART=\"1\" AND (NOT WIX_UPGRADE_DETECTED OR AUTOSTART_BEFORE)' WHERE \`Component\` = 'Autostart'"

# The headless program's folder on the user's PATH (appended; removed on uninstall), so
# `servicebot users promote …` works in any terminal. wixl has no Environment element (the
# template's Environment for WiX writes this row).
msibuild "$msi" -q "CREATE TABLE \`Environment\` (\`Environment\` CHAR(72) NOT NULL, \`Name\` CHAR(255) NOT NULL LOCALIZABLE, \`Value\` CHAR(255) LOCALIZABLE, \`Component_\` CHAR(72) NOT NULL PRIMARY KEY \`Environment\`)"
msibuild "$msi" -q "INSERT INTO \`Environment\` (\`Environment\`, \`Name\`, \`Value\`, \`Component_\`) VALUES ('UserPath', '=-Path', '[~];[BINDIR]', 'Cli')"
msibuild "$msi" -q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveEnvironmentStrings', 3300)"
msibuild "$msi" -q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('WriteEnvironmentStrings', 5200)"

mkdir -p "$(dirname "$out")"
mv "$msi" "$out"
echo "build-msi: $out (version $version, ProductCode $product_code${as_tauri:+, as Tauri renders the template})" >&2
