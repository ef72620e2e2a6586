#!/usr/bin/env bash
# Regenerates crds/ from the Java API classes (cloud-operator/.../api/v1alpha1).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl cloud-operator test -Dtest=CrdFileTest -Dedgewave.updateCrds=true -Dsurefire.failIfNoSpecifiedTests=false
echo "updated crds/"
