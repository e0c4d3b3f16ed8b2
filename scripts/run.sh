#!/usr/bin/env bash
# Starts ServiceBot: the desktop app (tray + window) when there is a display, else the headless
# bot, with the embedded default configuration and a sample orders folder, until it is quit
# (Выход in the tray) or Ctrl-C. Set SERVICEBOT_TOKEN to connect a real bot; the desktop app
# also takes the token in its Настройки page. Installs what a fresh Debian 12 machine is
# missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_tools

demo="${SERVICEBOT_DEMO_DIR:-$HOME/.local/share/servicebot-demo}"
orders="$demo/Photo"
if [ ! -d "$orders" ]; then
  echo "Creating a sample orders folder in $orders" >&2
  mkdir -p "$orders/ЗН-004512 А123ВС77" "$orders/ЗН-004513 В456ОР99" \
    "$orders/a000172185" "$orders/ЗН-004400 Х777ХХ77 closed"
  printf '+7 (912) 345-67-89\r\n' > "$orders/ЗН-004512 А123ВС77/phone.txt"
  printf '8 999 777 66 55; 8 999 777 66 56\n' > "$orders/ЗН-004513 В456ОР99/phone.txt"
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  ensure_desktop_tools
  apt_install_missing libayatana-appindicator3-1
  build_ui
  cargo build --locked --release -p servicebot-desktop --features tauri/custom-protocol
  # No settings file yet on the first start: the app runs on the embedded defaults and opens
  # Настройки, where the token and the orders folder are chosen (nothing is forced through the
  # environment, so what is chosen there is what runs); its first save writes this file.
  echo "ServiceBot: a sample orders folder is in $orders" >&2
  export SERVICEBOT_DATA_DIR="${SERVICEBOT_DATA_DIR:-$demo/data}"
  exec "$CARGO_TARGET_DIR/release/servicebot-desktop" --config "$demo/config.toml"
fi

export SERVICEBOT_ORDERS_ROOT="${SERVICEBOT_ORDERS_ROOT:-$orders}"
export SERVICEBOT_DATA_DIR="${SERVICEBOT_DATA_DIR:-$demo/data}"

echo "No display here: starting the headless bot instead of the desktop app." >&2
cargo build --locked --release -p servicebot-cli
"$CARGO_TARGET_DIR/release/servicebot" --config config/defaults.toml check-config || true
exec "$CARGO_TARGET_DIR/release/servicebot" --config config/defaults.toml run
