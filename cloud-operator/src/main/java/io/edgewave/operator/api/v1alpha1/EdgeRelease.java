package io.edgewave.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A declarative release of one workload to a fleet of edge nodes, rolled out in waves. */
@Group(EdgeRelease.GROUP)
@Version(EdgeRelease.VERSION)
@ShortNames("er")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Wave", jsonPath = ".status.currentWaveName")
@AdditionalPrinterColumn(name = "Updated", jsonPath = ".status.totals.updated", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".status.totals.failed", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Offline", jsonPath = ".status.totals.offline", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class EdgeRelease extends CustomResource<EdgeReleaseSpec, EdgeReleaseStatus> implements Namespaced {
  public static final String GROUP = "edgewave.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected EdgeReleaseStatus initStatus() {
    return null;
  }
}
