package dev.zjvm.loader.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Applies the CLI's Logback configuration. It lives under a private resource name (not
 * logback.xml) so that embedders of this module keep their own logging setup; a user's
 * {@code -Dlogback.configurationFile} still wins.
 */
final class LoggingSetup {
    static final String CONFIG = "/dev/zjvm/loader/cli/logback-cli.xml";

    private LoggingSetup() {}

    static void configure(boolean trace) {
        if (System.getProperty("logback.configurationFile") == null
                && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, trace);
        }
    }

    /** Replaces {@code context}'s configuration with the CLI's; problems land in Logback's status list. */
    static void apply(LoggerContext context, boolean trace) {
        URL config = LoggingSetup.class.getResource(CONFIG);
        if (config != null) {
            context.reset();
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            try {
                joran.doConfigure(config);
            } catch (JoranException e) {
                // Recorded in the status list; keep what was configured.
            }
        }
        if (trace) {
            context.getLogger(BootConfig.TRACE_LOGGER).setLevel(Level.TRACE);
        }
    }
}
