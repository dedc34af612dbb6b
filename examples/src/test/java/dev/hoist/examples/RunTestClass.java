package dev.hoist.examples;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one test class on the JUnit Platform, as a build tool would, and prints {@code found N
 * succeeded N failed N} and one line per failure. {@link HoistTestingArtifactIT} starts it in a JVM
 * of its own, on a class path it chose.
 */
public final class RunTestClass {

  private RunTestClass() {}

  /**
   * Runs the test class named by {@code args[0]}; exits 0 when tests were found and none failed.
   *
   * @param args the test class's binary name
   */
  public static void main(String[] args) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(args[0])).build(),
        listener);
    TestExecutionSummary summary = listener.getSummary();
    System.out.printf(
        "found %d succeeded %d failed %d%n",
        summary.getTestsFoundCount(),
        summary.getTestsSucceededCount(),
        summary.getTestsFailedCount());
    for (TestExecutionSummary.Failure f : summary.getFailures()) {
      System.out.println(
          "failure " + f.getTestIdentifier().getDisplayName() + ": " + f.getException());
    }
    System.out.flush();
    System.exit(summary.getTestsFailedCount() == 0 && summary.getTestsFoundCount() > 0 ? 0 : 1);
  }
}
