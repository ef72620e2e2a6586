package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Rules over the edge probe's facts that a node must meet before it is started; a node that fails is skipped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Preflight {
  @JsonPropertyDescription("Least free disk the probe must report, as a quantity, e.g. 2Gi.")
  private String minFreeDisk;

  @JsonPropertyDescription("Least available memory the probe must report, e.g. 512Mi.")
  private String minAvailableMemory;

  @JsonPropertyDescription("The probe must report at least one GPU (from nvidia-smi).")
  private Boolean gpu;

  @JsonPropertyDescription("Least NVIDIA driver version on every GPU, e.g. \"535.104\".")
  private String minGpuDriver;

  @Min(Limits.MIN_GPU_TEMPERATURE)
  @Max(Limits.MAX_GPU_TEMPERATURE)
  @JsonPropertyDescription("Hottest GPU temperature the probe may report, in Celsius, e.g. 85.")
  private Integer maxGpuTemperature;

  @Size(max = Limits.MAX_CHECKS)
  @JsonPropertyDescription("Names of probe checks that must pass, e.g. camera.")
  private List<String> checks;

  public String getMinFreeDisk() { return minFreeDisk; }
  public void setMinFreeDisk(String minFreeDisk) { this.minFreeDisk = minFreeDisk; }
  public String getMinAvailableMemory() { return minAvailableMemory; }
  public void setMinAvailableMemory(String minAvailableMemory) { this.minAvailableMemory = minAvailableMemory; }
  public Boolean getGpu() { return gpu; }
  public void setGpu(Boolean gpu) { this.gpu = gpu; }
  public String getMinGpuDriver() { return minGpuDriver; }
  public void setMinGpuDriver(String minGpuDriver) { this.minGpuDriver = minGpuDriver; }
  public Integer getMaxGpuTemperature() { return maxGpuTemperature; }
  public void setMaxGpuTemperature(Integer maxGpuTemperature) { this.maxGpuTemperature = maxGpuTemperature; }
  public List<String> getChecks() { return checks; }
  public void setChecks(List<String> checks) { this.checks = checks; }
}
