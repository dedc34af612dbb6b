package dev.hoist.remotes.docker.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The contract against Hoist's own HTTP/1.1 transport. */
class OwnTransportContractTest extends TransportContract {

  @Override
  Transport transport(ScheduledThreadPoolExecutor timer) {
    return new OwnTransport(() -> timer);
  }
}
