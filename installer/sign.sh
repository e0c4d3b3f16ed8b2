#!/usr/bin/env bash
# Authenticode-signs files in place with osslsigncode, when a certificate is given:
#
#   SERVICEBOT_SIGN_PKCS12=cert.pfx [SERVICEBOT_SIGN_PASSWORD=…]      a .pfx / .p12, or
#   SERVICEBOT_SIGN_CERT=cert.pem SERVICEBOT_SIGN_KEY=key.pem         PEM certificate and key
#   SERVICEBOT_SIGN_TIMESTAMP=http://timestamp.example                optional RFC 3161 server
#
#   bash installer/sign.sh FILE...
#
# Without a certificate it says so and signs nothing (exit 0).
set -euo pipefail

if [ -n "${SERVICEBOT_SIGN_PKCS12:-}" ]; then
  key_args=(-pkcs12 "$SERVICEBOT_SIGN_PKCS12")
  [ -z "${SERVICEBOT_SIGN_PASSWORD:-}" ] || key_args+=(-pass "$SERVICEBOT_SIGN_PASSWORD")
elif [ -n "${SERVICEBOT_SIGN_CERT:-}" ] && [ -n "${SERVICEBOT_SIGN_KEY:-}" ]; then
  key_args=(-certs "$SERVICEBOT_SIGN_CERT" -key "$SERVICEBOT_SIGN_KEY")
  [ -z "${SERVICEBOT_SIGN_PASSWORD:-}" ] || key_args+=(-pass "$SERVICEBOT_SIGN_PASSWORD")
else
  echo "sign: no certificate (SERVICEBOT_SIGN_PKCS12, or SERVICEBOT_SIGN_CERT and SERVICEBOT_SIGN_KEY): not signed" >&2
  exit 0
fi
timestamp_args=()
[ -z "${SERVICEBOT_SIGN_TIMESTAMP:-}" ] || timestamp_args=(-ts "$SERVICEBOT_SIGN_TIMESTAMP")

for file in "$@"; do
  signed="$file.signed"
  rm -f "$signed"
  osslsigncode sign "${key_args[@]}" "${timestamp_args[@]}" -h sha256 \
    -n "ServiceBot" -i "https://t.me/" -in "$file" -out "$signed" >/dev/null
  mv "$signed" "$file"
  echo "sign: signed $file" >&2
done
