package dev.zjvm.loader.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

/** Uses private LoggerContexts so the test JVM's own logging stays untouched. */
class LoggingSetupTest {
    @Test
    void configParsesAndTraceIsOffByDefault() {
        LoggerContext context = new LoggerContext();
        LoggingSetup.apply(context, false);
        assertTrue(context.getStatusManager().getCopyOfStatusList().stream().noneMatch(s -> s.getLevel() >= Status.WARN),
                () -> context.getStatusManager().getCopyOfStatusList().toString());
        assertFalse(context.getLogger(BootConfig.TRACE_LOGGER).isTraceEnabled());
        assertFalse(context.getLogger(BootConfig.TRACE_LOGGER).isErrorEnabled(), "trace logger is OFF");
        assertTrue(context.getLogger("dev.zjvm.console").isInfoEnabled());
        assertTrue(context.getLogger("dev.zjvm.object").isInfoEnabled());
        assertFalse(context.getLogger("dev.zjvm.object").isDebugEnabled());
        assertFalse(context.getLogger("org.example").isInfoEnabled());
    }

    @Test
    void traceEnablesTheSyscallTraceLogger() {
        LoggerContext context = new LoggerContext();
        LoggingSetup.apply(context, true);
        assertTrue(context.getLogger(BootConfig.TRACE_LOGGER).isTraceEnabled());
        assertTrue(context.getLogger(BootConfig.TRACE_LOGGER + ".channel").isTraceEnabled());
        assertEquals(false, context.getLogger("dev.zjvm.object").isDebugEnabled());
    }

    @Test
    void diagnosticLinesNameTheLevelThreadAndShortLogger() {
        LoggerContext context = new LoggerContext();
        LogLayouts.Diagnostic layout = new LogLayouts.Diagnostic();
        layout.setContext(context);
        ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
                "fqcn", context.getLogger("dev.zjvm.object.Kernel"), ch.qos.logback.classic.Level.WARN, "lost {}", null,
                new Object[] {7});
        event.setThreadName("main");
        String line = layout.doLayout(event);
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main\\] d\\.z\\.object\\.Kernel: lost 7\\R"), line);
        assertEquals("a.b", LogLayouts.Diagnostic.shortName("a.b"));
    }

    @Test
    void theServiceConfiguratorStepsAsideForAUserConfiguration() {
        // The test class path has logback-test.xml: the user's file wins, the CLI setup is not installed.
        LoggerContext context = new LoggerContext();
        CliLogbackConfigurator configurator = new CliLogbackConfigurator();
        configurator.setContext(context);
        assertEquals(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
        assertEquals(0, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext() ? 1 : 0);
    }
}
