package dev.zjvm.loader.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The CLI's two line formats, written out instead of as PatternLayout patterns: a pattern is
 * parsed into converter objects at start-up, which cost a visible share of the time to the first
 * guest line (docs/benchmarks-boot.md).
 */
final class LogLayouts {
    private LogLayouts() {}

    /** Guest console text and the syscall trace: the message alone, optionally after the thread name. */
    static final class Message extends LayoutBase<ILoggingEvent> {
        private final boolean withThread;

        Message(boolean withThread) {
            this.withThread = withThread;
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            String msg = event.getFormattedMessage();
            return withThread ? "[" + event.getThreadName() + "] " + msg + CoreConstants.LINE_SEPARATOR
                    : msg + CoreConstants.LINE_SEPARATOR;
        }
    }

    /** Diagnostics on stderr: {@code HH:mm:ss.SSS LEVEL [thread] logger: message}, then any stack trace. */
    static final class Diagnostic extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), ZoneId.systemDefault());
            StringBuilder sb = new StringBuilder(128);
            sb.append(String.format("%02d:%02d:%02d.%03d ", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000));
            String level = event.getLevel().toString();
            sb.append(level).append(" ".repeat(Math.max(0, 5 - level.length())));
            sb.append(" [").append(event.getThreadName()).append("] ").append(shortName(event.getLoggerName()))
                    .append(": ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) sb.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            return sb.toString();
        }

        /** {@code dev.zjvm.object.Kernel} becomes {@code d.z.object.Kernel}: the last two parts kept whole. */
        static String shortName(String logger) {
            String[] parts = logger.split("\\.");
            if (parts.length <= 2) return logger;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < parts.length - 2; i++) sb.append(parts[i].isEmpty() ? "" : parts[i].substring(0, 1)).append('.');
            return sb.append(parts[parts.length - 2]).append('.').append(parts[parts.length - 1]).toString();
        }
    }
}
