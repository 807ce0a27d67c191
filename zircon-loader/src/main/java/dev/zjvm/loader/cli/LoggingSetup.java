package dev.zjvm.loader.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logging, set up in code rather than from an XML file: parsing XML at start-up costs a
 * large share of the time to the first guest line (docs/benchmarks-boot.md). stdout carries only
 * guest console text (logger {@code dev.zjvm.console}); diagnostics go to stderr; the syscall trace
 * ({@code dev.zjvm.trace}) is off unless {@code --trace}. Embedders of this module keep their own
 * logging setup, and a user's {@code -Dlogback.configurationFile} still wins.
 */
final class LoggingSetup {
    static final String CONSOLE_LOGGER = "dev.zjvm.console";
    /** Context object key marking a context that holds this setup. */
    private static final String CONFIGURED = LoggingSetup.class.getName();

    private LoggingSetup() {}

    static void configure(boolean trace) {
        if (System.getProperty("logback.configurationFile") == null
                && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            if (context.getObject(CONFIGURED) == null) {
                apply(context, trace);
            } else {
                // CliLogbackConfigurator already installed this setup: only the trace switch differs.
                context.getLogger(BootConfig.TRACE_LOGGER).setLevel(trace ? Level.TRACE : Level.OFF);
            }
        }
    }

    /** Replaces {@code context}'s configuration with the CLI's. */
    static void apply(LoggerContext context, boolean trace) {
        context.reset();
        ConsoleAppender<ILoggingEvent> stderr = appender(context, "STDERR", "System.err", new LogLayouts.Diagnostic());
        ConsoleAppender<ILoggingEvent> console = appender(context, "CONSOLE", "System.out", new LogLayouts.Message(false));
        ConsoleAppender<ILoggingEvent> traceOut = appender(context, "TRACE", "System.err", new LogLayouts.Message(true));

        Logger consoleLogger = context.getLogger(CONSOLE_LOGGER);
        consoleLogger.setLevel(Level.INFO);
        consoleLogger.setAdditive(false);
        consoleLogger.addAppender(console);

        Logger traceLogger = context.getLogger(BootConfig.TRACE_LOGGER);
        traceLogger.setLevel(trace ? Level.TRACE : Level.OFF);
        traceLogger.setAdditive(false);
        traceLogger.addAppender(traceOut);

        context.getLogger("dev.zjvm").setLevel(Level.INFO);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.putObject(CONFIGURED, Boolean.TRUE);
    }

    private static ConsoleAppender<ILoggingEvent> appender(LoggerContext context, String name, String target,
            LayoutBase<ILoggingEvent> layout) {
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget(target);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
