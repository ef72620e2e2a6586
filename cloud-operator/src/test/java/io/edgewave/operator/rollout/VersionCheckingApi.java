package io.edgewave.operator.rollout;

import io.edgewave.operator.demo.VersionCheckingCrud;

/** The mock API server's CRUD store with status updates fenced by resourceVersion ({@link VersionCheckingCrud}). */
public final class VersionCheckingApi extends VersionCheckingCrud {}
