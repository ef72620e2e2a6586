#!/usr/bin/env bash
# Regenerates crds/ from the Java API classes (cloud-operator/.../api/v1alpha1) and copies the CRD into the
# kustomize base (deploy/base/crd/) and the Helm chart (deploy/helm/edgewave/crds/), which cannot reach files
# outside their directories; the chart also gets copies of the base's broker config, ACL, alert rules and Grafana
# dashboard (deploy/helm/edgewave/files/). Tests fail when any drifts (CrdFileTest for crds/, ManifestsIT for
# deploy/base, HelmChartIT for the chart). Extra arguments go to Maven, e.g. -o to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."
# compile and the classpath in one reactor, so cloud-operator sees edge-protocol's fresh classes
mvn -B -q "$@" -pl cloud-operator -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "cloud-operator/target/classes:$(cat cloud-operator/target/classpath.txt)" io.edgewave.operator.api.CrdYaml \
  crds/edgereleases.edgewave.io-v1.yml
cp crds/edgereleases.edgewave.io-v1.yml deploy/base/crd/
cp crds/edgereleases.edgewave.io-v1.yml deploy/helm/edgewave/crds/
cp deploy/base/mosquitto/mosquitto.conf deploy/base/mosquitto/acl deploy/base/monitoring/prometheusrule.yaml \
  deploy/base/monitoring/edgewave-dashboard.json deploy/helm/edgewave/files/
echo "updated crds/, deploy/base/crd/ and deploy/helm/edgewave/{crds,files}/"
