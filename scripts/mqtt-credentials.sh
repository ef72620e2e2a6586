#!/usr/bin/env bash
# Makes the broker's TLS certificate (and a CA), a password for the operator and one per edge node, the Mosquitto
# password file, and the Kubernetes objects that carry them. Run it once at install and again for new nodes
# (existing passwords are kept). Nothing it writes goes into git.
#
#   scripts/mqtt-credentials.sh OUT_DIR BROKER_DNS [NODE...]     nodes given, or
#   scripts/mqtt-credentials.sh OUT_DIR BROKER_DNS --from-cluster  every Node labelled node-role.kubernetes.io/edge
#
# OUT_DIR/ca.crt, ca.key          the CA (keep ca.key offline)
# OUT_DIR/tls.crt, tls.key         the broker's certificate for BROKER_DNS and mosquitto.edgewave-system.svc
# OUT_DIR/passwd                   Mosquitto password file (hashed)
# OUT_DIR/operator/password        the operator's password
# OUT_DIR/nodes/NODE/password      each node's password: copy to /etc/edgewave/probe/password on that node
# OUT_DIR/k8s.yaml                 Secrets mosquitto-tls, mosquitto-auth, edgewave-operator-mqtt; ConfigMap mqtt-ca
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,16p' "$0"; exit 2; }
out="$1"; dns="$2"; shift 2
nodes=("$@")
if [ "${nodes[0]:-}" = "--from-cluster" ]; then
  mapfile -t nodes < <(kubectl get nodes -l node-role.kubernetes.io/edge -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
fi
for n in "${nodes[@]}"; do
  [[ "$n" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || { echo "not a node name: $n" >&2; exit 2; }
  [ "$n" != edgewave-operator ] || { echo "a node cannot be called edgewave-operator" >&2; exit 2; }
done
umask 077
mkdir -p "$out/operator" "$out/nodes"
secret() { head -c 24 /dev/urandom | base64 | tr -d '/+=' ; }

if [ ! -f "$out/ca.key" ]; then
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=edgewave MQTT CA" \
    -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null
fi
if [ ! -f "$out/tls.key" ]; then
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$dns" -keyout "$out/tls.key" -out "$out/tls.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:mosquitto.edgewave-system.svc,DNS:mosquitto.edgewave-system.svc.cluster.local,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$dns" > "$out/tls.ext"
  openssl x509 -req -in "$out/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -days 825 \
    -extfile "$out/tls.ext" -out "$out/tls.crt" 2>/dev/null
  rm -f "$out/tls.csr" "$out/tls.ext"
fi
[ -f "$out/operator/password" ] || secret > "$out/operator/password"
for n in "${nodes[@]}"; do
  mkdir -p "$out/nodes/$n"
  [ -f "$out/nodes/$n/password" ] || secret > "$out/nodes/$n/password"
done

# the password file is rebuilt from every password kept under OUT_DIR
rm -f "$out/passwd"; touch "$out/passwd"
mosquitto_passwd -b "$out/passwd" edgewave-operator "$(cat "$out/operator/password")"
for d in "$out"/nodes/*/; do
  [ -f "$d/password" ] || continue
  mosquitto_passwd -b "$out/passwd" "$(basename "$d")" "$(cat "$d/password")"
done

b64() { base64 -w0 < "$1"; }
indent() { sed 's/^/    /' "$1"; }
cat > "$out/k8s.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata: {name: mosquitto-tls, namespace: edgewave-system}
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$out/tls.crt")
  tls.key: $(b64 "$out/tls.key")
---
apiVersion: v1
kind: Secret
metadata: {name: mosquitto-auth, namespace: edgewave-system}
data:
  passwd: $(b64 "$out/passwd")
---
apiVersion: v1
kind: Secret
metadata: {name: edgewave-operator-mqtt, namespace: edgewave-system}
data:
  password: $(b64 "$out/operator/password")
---
apiVersion: v1
kind: ConfigMap
metadata: {name: mqtt-ca, namespace: edgewave-system}
data:
  ca.crt: |
$(indent "$out/ca.crt")
YAML
echo "wrote $out: $(ls "$out/nodes" | wc -l) node passwords; apply with: kubectl apply -f $out/k8s.yaml" >&2
