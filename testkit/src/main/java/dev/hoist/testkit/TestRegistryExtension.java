package dev.hoist.testkit;

import dev.hoist.errors.FailedPreconditionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts one {@link TestRegistry} before the tests of a class and closes
 * it after them. Register it in a static field; before each test the request log is cleared and the
 * fault rules removed, so tests do not see each other's traffic or faults (pushed images stay).
 *
 * <pre>{@code
 * class PullTest {
 *   @RegisterExtension
 *   static final TestRegistryExtension REGISTRY = new TestRegistryExtension();
 *   // or: new TestRegistryExtension(() -> TestRegistry.builder().basicAuth("u", "p").start())
 *
 *   @Test
 *   void pullsAnImage() {
 *     REGISTRY.registry().push("app:1", GeneratedImages.random());
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>This class needs {@code junit-jupiter-api} on the classpath, which hoist-testkit declares as
 * an optional dependency.
 */
public final class TestRegistryExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final Supplier<TestRegistry> factory;
  private volatile TestRegistry registry;

  /** A registry with default options. */
  public TestRegistryExtension() {
    this(TestRegistry::start);
  }

  /**
   * A registry built by {@code factory}, e.g. {@code () ->
   * TestRegistry.builder().bearerAuth().start()}.
   *
   * @param factory starts the registry, once per test class
   */
  public TestRegistryExtension(Supplier<TestRegistry> factory) {
    this.factory = factory;
  }

  /**
   * The running registry; {@link FailedPreconditionException} outside the class's tests.
   *
   * @return the registry started for the current test class
   */
  public TestRegistry registry() {
    TestRegistry r = registry;
    if (r == null) {
      throw new FailedPreconditionException(
          "the test registry runs only while the test class runs; register the extension in a static field");
    }
    return r;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    registry = factory.get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestRegistry r = registry();
    r.requestLog().clear();
    r.faults().clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestRegistry r = registry;
    registry = null;
    if (r != null) {
      r.close();
    }
  }
}
