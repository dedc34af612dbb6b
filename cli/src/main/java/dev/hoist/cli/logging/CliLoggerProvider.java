package dev.hoist.cli.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's own slf4j backend: warnings and errors as one line each on stderr ({@code
 * hoist: warning: …}), nothing below. Chosen explicitly through the {@code slf4j.provider} system
 * property (not registered with ServiceLoader), so {@code --debug} runs, which leave the property
 * unset, get slf4j-simple's full log.
 */
public final class CliLoggerProvider implements SLF4JServiceProvider {

  private final ILoggerFactory factory = name -> CliLogger.INSTANCE;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** For slf4j, which instantiates providers by reflection. */
  public CliLoggerProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    // Nothing to set up.
  }
}
