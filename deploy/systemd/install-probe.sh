#!/usr/bin/env bash
# Installs the edge probe on one box: a system user, the jar, its credentials and the systemd unit.
#
#   sudo deploy/systemd/install-probe.sh --node NAME --broker ssl://mqtt.example.com:8883 \
#        --password-file nodes/NAME/password --ca-file ca.crt [--jar edge-probe/target/edgewave-probe.jar]
#
# --credentials-only  only put the password and CA in /etc/edgewave (for KubeEdge nodes, where the edge-probe
#                     DaemonSet runs the probe and reads them through a hostPath; uid 10002 as in the DaemonSet)
# --root DIR          install under DIR instead of / (for packaging and tests); implies --no-start
# --no-start          do not run systemctl
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
node="" broker="" pw="" ca="" jar="$here/../../edge-probe/target/edgewave-probe.jar" root="" start=1 only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --node) node="$2"; shift 2 ;;
    --broker) broker="$2"; shift 2 ;;
    --password-file) pw="$2"; shift 2 ;;
    --ca-file) ca="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --root) root="$2"; start=0; shift 2 ;;
    --no-start) start=0; shift ;;
    --credentials-only) only=1; shift ;;
    *) echo "install-probe: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
die() { echo "install-probe: $*" >&2; exit 2; }
[[ "$node" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die "--node NAME: a lowercase node name, as in kubectl get nodes"
[ -f "$pw" ] || die "--password-file: no such file \"$pw\" (scripts/mqtt-credentials.sh made one per node)"
[ -f "$ca" ] || die "--ca-file: no such file \"$ca\" (the ca.crt made by scripts/mqtt-credentials.sh)"
if [ "$only" -eq 0 ]; then
  [[ "$broker" =~ ^ssl://[^/[:space:]]+:[0-9]+$ ]] || die "--broker: ssl://host:8883 (the broker accepts TLS only)"
  [ -f "$jar" ] || die "--jar: no such file \"$jar\" (mvn package builds edge-probe/target/edgewave-probe.jar)"
fi

etc="$root/etc/edgewave/probe"
install -d -m 0755 "$root/etc/edgewave" "$root/etc/edgewave/mqtt-ca"
install -d -m 0750 "$etc"
install -m 0644 "$ca" "$root/etc/edgewave/mqtt-ca/ca.crt"
owner=10002
if [ "$only" -eq 0 ]; then
  if [ -z "$root" ]; then
    id edgewave-probe >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin edgewave-probe
    owner="$(id -u edgewave-probe)"
  fi
  install -d -m 0755 "$root/opt/edgewave" "$root/etc/systemd/system"
  install -m 0644 "$jar" "$root/opt/edgewave/edgewave-probe.jar"
  install -m 0644 "$here/edgewave-probe.service" "$root/etc/systemd/system/edgewave-probe.service"
  umask 077
  cat > "$etc/probe.env" <<ENV
EDGEWAVE_NODE=$node
EDGEWAVE_USERNAME=$node
EDGEWAVE_BROKER=$broker
EDGEWAVE_PASSWORD_FILE=/etc/edgewave/probe/password
EDGEWAVE_CA_FILE=/etc/edgewave/mqtt-ca/ca.crt
ENV
fi
install -m 0400 "$pw" "$etc/password"
if [ -z "$root" ]; then chown -R "$owner:$owner" "$etc"; fi
if [ "$start" -eq 1 ] && [ "$only" -eq 0 ]; then
  systemctl daemon-reload
  systemctl enable --now edgewave-probe.service
  echo "edgewave-probe installed and started for node $node; journalctl -u edgewave-probe to follow it"
else
  echo "edgewave-probe files installed under ${root:-/} for node $node"
fi
