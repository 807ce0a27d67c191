package dev.zjvm.object.ipc;

/** {@code zx_info_socket_t}: buffer sizes of one socket endpoint. */
public record SocketInfo(int options, long rxBufMax, long rxBufSize, long rxBufAvailable, long txBufMax, long txBufSize) {}
