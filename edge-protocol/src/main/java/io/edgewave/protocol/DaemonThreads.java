package io.edgewave.protocol;

import java.util.concurrent.ThreadFactory;

/** Daemon threads with a name that says what they do: a stuck one is then easy to spot in a thread dump. */
public record DaemonThreads(String name) implements ThreadFactory {
  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
