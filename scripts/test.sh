#!/usr/bin/env bash
# Installs what the tests need when it is missing (Debian packages), then runs every test: unit tests
# (surefire) and integration tests (failsafe) of all modules.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || missing+=(mosquitto)
command -v mosquitto_pub >/dev/null || missing+=(mosquitto-clients)
command -v openssl >/dev/null || missing+=(openssl)
# promtool checks the shipped alert rules
command -v promtool >/dev/null || missing+=(prometheus)
# the dashboard test drives Debian's headless chromium through Debian's chromedriver (no driver download)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# ip (iproute2): the site-outage test cuts a site's link between network namespaces (skipped when not root)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || missing+=(iproute2)
# kubectl: the plugin test (any kubectl will do; Debian's kubernetes-client when there is none)
command -v kubectl >/dev/null || missing+=(kubernetes-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test prerequisites: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mvn -B -ntp verify "$@"
