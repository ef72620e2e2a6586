#!/usr/bin/env bash
# Regenerates crds/ from the Java API classes (cloud-operator/.../api/v1alpha1) and copies the CRD into the
# kustomize base (deploy/base/crd/), which cannot reach files outside deploy/. Tests fail when either drifts
# (CrdFileTest for crds/, ManifestsIT for deploy/). Extra arguments go to Maven, e.g. -o to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."
# compile and the classpath in one reactor, so cloud-operator sees edge-protocol's fresh classes
mvn -B -q "$@" -pl cloud-operator -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "cloud-operator/target/classes:$(cat cloud-operator/target/classpath.txt)" io.edgewave.operator.api.CrdYaml \
  crds/edgereleases.edgewave.io-v1.yml
cp crds/edgereleases.edgewave.io-v1.yml deploy/base/crd/
echo "updated crds/ and deploy/base/crd/"
