package io.edgewave.operator.api.v1alpha1;

/** When a wave's images are pulled ahead: as soon as the release is applied, or a lead time before its window. */
public enum StagingStart { Immediately, BeforeWindow }
