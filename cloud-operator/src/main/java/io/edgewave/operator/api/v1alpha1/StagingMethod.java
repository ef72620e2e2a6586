package io.edgewave.operator.api.v1alpha1;

/**
 * How images reach the nodes ahead of their update: KubeEdge's ImagePrePullJob where the cluster serves it, else a
 * short-lived pre-pull pod per node ({@code Auto}, the default), or one of them by name.
 */
public enum StagingMethod { Auto, ImagePrePullJob, Pod }
