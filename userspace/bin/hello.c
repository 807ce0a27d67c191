// bin/hello: the smallest program. Started by itself it greets the log; started by
// bin/bootsvc it also answers the message waiting on the channel it got as PA_USER0.
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

int main(int argc, char** argv, char** envp) {
  printf("hello: hello, world (argc=%d, argv[0]=%s)\n", argc, argc > 0 ? argv[0] : "-");

  zx_handle_t channel = zx_take_startup_handle(PA_HND(PA_USER0, 0));
  if (channel == ZX_HANDLE_INVALID) return 0;

  char request[64];
  uint32_t actual = 0, handles = 0;
  zx_status_t st = zx_object_wait_one(channel, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                      ZX_TIME_INFINITE, NULL);
  if (st == ZX_OK) {
    st = zx_channel_read(channel, 0, request, NULL, sizeof(request) - 1, 0, &actual, &handles);
  }
  if (st != ZX_OK) {
    printf("hello: reading the request failed: %d\n", st);
    return 1;
  }
  request[actual] = '\0';
  printf("hello: got \"%s\" from my parent\n", request);

  char reply[96];
  int n = snprintf(reply, sizeof(reply), "pong (you said \"%s\")", request);
  st = zx_channel_write(channel, 0, reply, (uint32_t)n, NULL, 0);
  zx_handle_close(channel);
  return st == ZX_OK ? 0 : 2;
}
