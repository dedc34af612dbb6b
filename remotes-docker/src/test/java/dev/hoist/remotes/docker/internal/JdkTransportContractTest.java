package dev.hoist.remotes.docker.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The contract against the {@code java.net.http} transport. */
class JdkTransportContractTest extends TransportContract {

  @Override
  Transport transport(ScheduledThreadPoolExecutor timer) {
    return new JdkTransport(() -> timer);
  }
}
