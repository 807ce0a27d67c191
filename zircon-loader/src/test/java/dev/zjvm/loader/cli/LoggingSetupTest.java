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
}
