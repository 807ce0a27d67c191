package dev.zjvm.loader.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
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

    private LoggingSetup() {}

    static void configure(boolean trace) {
        if (System.getProperty("logback.configurationFile") == null
                && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, trace);
        }
    }

    /** Replaces {@code context}'s configuration with the CLI's. */
    static void apply(LoggerContext context, boolean trace) {
        context.reset();
        ConsoleAppender<ILoggingEvent> stderr = appender(context, "STDERR", "System.err",
                "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24}: %msg%n");
        ConsoleAppender<ILoggingEvent> console = appender(context, "CONSOLE", "System.out", "%msg%n");
        ConsoleAppender<ILoggingEvent> traceOut = appender(context, "TRACE", "System.err", "[%thread] %msg%n");

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
    }

    private static ConsoleAppender<ILoggingEvent> appender(LoggerContext context, String name, String target,
            String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
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
