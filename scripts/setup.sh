#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh: installs what a fresh Debian 12
# machine lacks to build ServiceBot, and points cargo at a build folder outside the clone so
# repeated runs (and CI) reuse earlier builds.

apt_install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_build_tools() {
  # gcc builds the bundled SQLite; pkg-config and libssl are what HTTP crates look for.
  apt_install_missing build-essential pkg-config libssl-dev ca-certificates curl
  if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "Installing the Rust toolchain with rustup (Debian's rustc is too old)" >&2
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      rustup component add "$component"
    fi
  done
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/servicebot/target}"
}

ensure_desktop_tools() {
  # WebKitGTK and the tray indicator to build and run the desktop app; Xvfb, D-Bus, Debian's
  # WebKit WebDriver, xwininfo, python3-xlib, a tray (trayer), xdotool and a notification
  # server (python3-dbus, python3-gi) for its end-to-end tests; Node.js for its window.
  apt_install_missing libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev \
    libxdo-dev xvfb xauth dbus-x11 webkit2gtk-driver x11-utils python3-xlib trayer xdotool \
    python3-dbus python3-gi
  if ! command -v npm >/dev/null 2>&1; then
    apt_install_missing nodejs npm
  fi
}

# Builds the window (ui/dist), which the desktop binary embeds at compile time.
build_ui() {
  (
    cd ui
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund --loglevel=error
    fi
    npm run --silent build
  )
}

# The Windows build (scripts/dist.sh, installer/README.md): the MinGW-w64 cross toolchain,
# wixl and msitools for the MSI, osslsigncode for optional signing, and Rust's windows-gnu
# standard library.
ensure_windows_tools() {
  apt_install_missing gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wixl msitools \
    osslsigncode python3 file
  if ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
    rustup target add x86_64-pc-windows-gnu
  fi
  if ! command -v npm >/dev/null 2>&1; then
    apt_install_missing nodejs npm
  fi
}

# Debian's wine, to install and run the MSI in the test script (installer/wine-check.sh).
ensure_wine() {
  apt_install_missing wine wine64
}
