package dev.zjvm.object.ipc;

/**
 * Outcome of {@link Channel#read}: either the message (status OK) or BUFFER_TOO_SMALL with the
 * sizes the first message needs. Other failures are thrown.
 */
public record ChannelRead(int status, int actualBytes, int actualHandles, MessagePacket message) {}
