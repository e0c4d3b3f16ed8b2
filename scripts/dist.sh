#!/usr/bin/env bash
# Builds the Windows release from this Linux machine: the desktop app and the headless
# `servicebot` cross-compiled for x86_64-pc-windows-gnu, and the per-user MSI that installs
# them (installer/README.md). Installs what it needs first. Output, in the build folder
# (CARGO_TARGET_DIR, by default ~/.cache/servicebot/target):
#
#   dist/ServiceBot-<version>-x64.msi
#   dist/ServiceBot-<version>-x64/ServiceBot.exe, WebView2Loader.dll, bin/servicebot.exe
#
# With a certificate (SERVICEBOT_SIGN_PKCS12, or SERVICEBOT_SIGN_CERT + SERVICEBOT_SIGN_KEY;
# see installer/sign.sh) the executables and the MSI are Authenticode-signed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_tools
ensure_windows_tools

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
target=x86_64-pc-windows-gnu
started="$(date +%s)"
# The window is embedded at compile time; custom-protocol serves it from the binary.
build_ui
cargo build --locked --profile dist --target "$target" \
  -p servicebot-desktop -p servicebot-cli --features tauri/custom-protocol
echo "dist: cross build took $(($(date +%s) - started)) s" >&2

built="$CARGO_TARGET_DIR/$target/dist"
# WebView2Loader.dll ships in the webview2-com-sys crate, in the version Cargo.lock pins.
webview2_sys="$(cargo metadata --locked --format-version 1 --filter-platform "$target" \
  | python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "webview2-com-sys"))')"
loader="$(dirname "$webview2_sys")/x64/WebView2Loader.dll"

dist="$CARGO_TARGET_DIR/dist"
out="$dist/ServiceBot-$version-x64"
rm -rf "$out"
mkdir -p "$out/bin"
cp "$built/servicebot-desktop.exe" "$out/ServiceBot.exe"
cp "$built/servicebot.exe" "$out/bin/servicebot.exe"
cp "$loader" "$out/WebView2Loader.dll"
# WebView2Loader.dll keeps Microsoft's own signature.
bash installer/sign.sh "$out/ServiceBot.exe" "$out/bin/servicebot.exe"

msi="$dist/ServiceBot-$version-x64.msi"
bash installer/build-msi.sh "$out" "$msi" "$version"
bash installer/sign.sh "$msi"
echo "dist: $msi ($(($(stat -c %s "$msi") / 1024)) KiB) and the executables in $out" >&2
