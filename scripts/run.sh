#!/usr/bin/env bash
# Starts ServiceBot headless with the embedded default configuration (config/defaults.toml)
# and a sample orders folder, until Ctrl-C. Set SERVICEBOT_TOKEN to connect a real bot.
# Installs what a fresh Debian 12 machine is missing first.
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

export SERVICEBOT_ORDERS_ROOT="${SERVICEBOT_ORDERS_ROOT:-$orders}"
export SERVICEBOT_DATA_DIR="${SERVICEBOT_DATA_DIR:-$demo/data}"
cargo build --locked --release -p servicebot-cli
"$CARGO_TARGET_DIR/release/servicebot" --config config/defaults.toml check-config || true
exec "$CARGO_TARGET_DIR/release/servicebot" --config config/defaults.toml run
