#!/usr/bin/env bash
# Regenerates crds/ from the Java API classes (cloud-operator/.../api/v1alpha1) and copies the CRD into the
# kustomize base (deploy/base/crd/), which cannot reach files outside deploy/. Tests fail when either drifts.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl cloud-operator test -Dtest=CrdFileTest -Dedgewave.updateCrds=true -Dsurefire.failIfNoSpecifiedTests=false
cp crds/edgereleases.edgewave.io-v1.yml deploy/base/crd/
echo "updated crds/ and deploy/base/crd/"
