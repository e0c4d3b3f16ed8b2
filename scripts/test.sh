#!/usr/bin/env bash
# Runs every check ServiceBot has: formatting, clippy (warnings are errors), and all unit and
# end-to-end tests. Installs what a fresh Debian 12 machine is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_tools
ensure_desktop_tools
# The window: its own type check and unit tests, then the build the desktop binary embeds.
build_ui
(cd ui && npm run --silent typecheck && npm test --silent)

cargo fmt --all -- --check
# Invariant 1: the domain crate stays free of async runtimes, Telegram, Tauri and HTTP.
forbidden="$(cargo tree --locked -p servicebot-core -e normal --prefix none \
  | grep -iE '^(tokio|teloxide|tauri|reqwest|hyper|async-)' || true)"
if [ -n "$forbidden" ]; then
  echo "servicebot-core must not depend on: $forbidden" >&2
  exit 1
fi
cargo clippy --workspace --all-targets --locked -- -D warnings
# The process-level scenarios start the real `servicebot` binary, the GUI scenarios the real
# desktop app (driven over WebDriver under Xvfb).
# With --all-targets the binaries get the same features as the test build (tauri's `test`
# feature is a dev-dependency), so nothing is compiled twice.
cargo build --locked --workspace --all-targets
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"
# One closing line for the whole workspace (cargo prints one per test target).
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "tests: %d passed, %d failed\n", passed, failed }' "$log"
# The Windows build and the MSI (installer/README.md): cross-built with scripts/dist.sh,
# checked, signed with a test certificate, and installed, upgraded, downgraded and
# uninstalled under wine.
bash installer/test.sh
