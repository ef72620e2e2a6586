package io.edgewave.operator.demo;

import java.util.Map;
import java.util.Set;

/**
 * What the simulated kubelet knows of images when it models them: their sizes, the images every node has before
 * the simulation starts (what the old pods run), the uplink of a site whose nodes do not say it
 * ({@link SimulatedFleet#UPLINK_LABEL}), the time scale, and how long a failed pull shows ErrImagePull before
 * ImagePullBackOff.
 *
 * @param timeScale simulated seconds per real second (see {@link SimulatedTime})
 * @param defaultBytes the size of an image not in {@code sizes}
 * @param backOffSeconds simulated seconds from ErrImagePull to ImagePullBackOff
 */
public record ImageModel(double timeScale, long defaultBytes, Map<String, Long> sizes, Set<String> preloaded,
    double defaultUplinkMbps, double backOffSeconds) {
  public ImageModel {
    sizes = Map.copyOf(sizes);
    preloaded = Set.copyOf(preloaded);
  }

  /** One size for every image but those already on every node; 10 s of ErrImagePull before the back-off. */
  public static ImageModel of(double timeScale, long bytes, Set<String> preloaded, double defaultUplinkMbps) {
    return new ImageModel(timeScale, bytes, Map.of(), preloaded, defaultUplinkMbps, 10);
  }

  public long bytes(String image) {
    return sizes.getOrDefault(image, defaultBytes);
  }
}
