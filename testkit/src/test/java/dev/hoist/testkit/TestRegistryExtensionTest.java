package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.FailedPreconditionException;
import java.io.IOException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestRegistryExtensionTest {

  @RegisterExtension
  static final TestRegistryExtension REGISTRY =
      new TestRegistryExtension(() -> TestRegistry.builder().basicAuth("u", "p").start());

  @Test
  @Order(1)
  void startsTheConfiguredRegistryForTheClass() throws IOException {
    TestRegistry registry = REGISTRY.registry();
    registry.faults().add("GET", "/v2/", Fault.status(500));

    int status = new Http(registry).get("/v2/").statusCode();

    assertThat(status).isEqualTo(500);
    assertThat(registry.requestLog().entries()).hasSize(1);
  }

  @Test
  @Order(2)
  void eachTestStartsWithAnEmptyLogAndNoFaults() throws IOException {
    TestRegistry registry = REGISTRY.registry();

    assertThat(registry.requestLog().entries()).isEmpty();
    assertThat(registry.faults().rules()).isEmpty();
    assertThat(new Http(registry).get("/v2/").statusCode())
        .isEqualTo(401); // basic auth from the factory
  }

  @Test
  void registryIsUnavailableOutsideAClassRun() {
    assertThatThrownBy(() -> new TestRegistryExtension().registry())
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("static field");
  }
}
