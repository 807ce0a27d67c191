package dev.zjvm.loader.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configurator (found through {@code META-INF/services}): when the user supplies
 * no configuration ({@code -Dlogback.configurationFile}, {@code logback-test.xml} or
 * {@code logback.xml}), it installs the CLI's setup directly, so Logback neither searches for and
 * parses XML nor builds a default configuration that {@link LoggingSetup} would then replace.
 */
public final class CliLogbackConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = CliLogbackConfigurator.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LoggingSetup.apply(context, false);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
