#!/usr/bin/env bash
# The Windows part of scripts/test.sh: builds the release with scripts/dist.sh (warm in CI:
# the build folder is kept), packages it a second time with the next version, checks both
# MSIs and the executables (check.sh), signs copies with a throw-away self-signed certificate,
# runs the #[cfg(windows)] unit tests and the install / upgrade / downgrade / uninstall
# scenario under wine (wine-check.sh). Figures for installer/README.md are printed as
# "time: …" lines.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_tools
ensure_windows_tools
ensure_wine

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
version="${version%%[-+]*}"
next="${version%.*}.$((${version##*.} + 1))"
dist="$CARGO_TARGET_DIR/dist"

started="$(date +%s)"
bash scripts/dist.sh
echo "time: scripts/dist.sh $(($(date +%s) - started)) s"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
old_msi="$dist/ServiceBot-$version-x64.msi"
new_msi="$work/ServiceBot-$next-x64.msi"
bash installer/build-msi.sh "$dist/ServiceBot-$version-x64" "$new_msi" "$next"
# The same two versions from the template as Tauri's bundler renders it (wine-check.sh, step 8).
tauri_old_msi="$work/ServiceBot-$version-x64-tauri.msi"
tauri_new_msi="$work/ServiceBot-$next-x64-tauri.msi"
bash installer/build-msi.sh --as-tauri "$dist/ServiceBot-$version-x64" "$tauri_old_msi" "$version"
bash installer/build-msi.sh --as-tauri "$dist/ServiceBot-$version-x64" "$tauri_new_msi" "$next"
bash installer/check.sh "$dist/ServiceBot-$version-x64" "$old_msi" "$new_msi" "$version" "$next"

# Signing, with a certificate made here: the MSI and an executable, verified against it.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=ServiceBot test signing" \
  -addext "extendedKeyUsage=codeSigning" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cp "$old_msi" "$work/signed.msi"
cp "$dist/ServiceBot-$version-x64/bin/servicebot.exe" "$work/signed.exe"
SERVICEBOT_SIGN_CERT="$work/cert.pem" SERVICEBOT_SIGN_KEY="$work/key.pem" \
  bash installer/sign.sh "$work/signed.msi" "$work/signed.exe" 2>/dev/null
for file in signed.msi signed.exe; do
  osslsigncode verify -CAfile "$work/cert.pem" -in "$work/$file" >"$work/verify.txt" 2>&1 \
    || { cat "$work/verify.txt" >&2; echo "installer test: FAILED: $file does not verify" >&2; exit 1; }
done
msiinfo tables "$work/signed.msi" >/dev/null
echo "ok: osslsigncode signs the MSI and the executables (verified against the test certificate)"

# The Windows-only unit tests (creation times, paths, %APPDATA%), run under wine by the
# runner in .cargo/config.toml.
cargo test --locked --target x86_64-pc-windows-gnu -p servicebot-core -p servicebot-app --lib \
  -- win_ naming paths:: 2>&1 | tee "$work/unit.log" | grep -E '^test result|FAILED|panicked' || true
grep -q '^test result: FAILED' "$work/unit.log" && { echo "installer test: FAILED: Windows unit tests" >&2; exit 1; }
grep -q '^test result: ok' "$work/unit.log" || { tail -20 "$work/unit.log" >&2; exit 1; }
echo "ok: the Windows unit tests pass under wine"

bash installer/wine-check.sh "$old_msi" "$new_msi" "$version" "$next" "$tauri_old_msi" "$tauri_new_msi"
