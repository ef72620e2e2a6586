package io.edgewave.operator.cli;

/** A command used wrongly (a bad value, a missing release, a verb that does not apply now): exit code 2. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
