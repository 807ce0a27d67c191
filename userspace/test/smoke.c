// test/smoke: the in-guest smoke test. Runs every case below in order and reports each
// on exactly one line:
//   [smoke] PASS <case>
//   [smoke] FAIL <case>: <reason>
//   [smoke] SKIP <case>: <reason>     (the host lacks something the case needs)
// then one summary line:
//   [smoke] SUMMARY pass=<n> fail=<m> skip=<k> total=<t>
// and exits with 0 if every case passed, 1 otherwise. Case names are [a-z0-9_]+.
// Environment word `smoke.only=<case>` runs just that case.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/policy.h>
#include <zjvm/runtime.h>

// ---- reporting ----
static char g_reason[160];
static bool g_skipped;

__attribute__((format(printf, 1, 2))) static bool failf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g_reason, sizeof(g_reason), fmt, ap);
  va_end(ap);
  for (char* p = g_reason; *p; p++) {
    if (*p == '\n' || *p == '\r') *p = ' ';  // one line per case, always
  }
  return false;
}

// Checks that `expr` returns `want`; on mismatch the case fails naming the call and line.
#define EXPECT_STATUS(want, expr, what)                                                  \
  do {                                                                                   \
    zx_status_t _st = (expr);                                                            \
    if (_st != (want)) {                                                                 \
      return failf("%s returned %s, want %s (line %d)", what, zjvm_status_name(_st),     \
                   zjvm_status_name(want), __LINE__);                                    \
    }                                                                                    \
  } while (0)
#define EXPECT_OK(expr, what) EXPECT_STATUS(ZX_OK, expr, what)
// For the few calls where the spec allows either of two errors.
#define EXPECT_EITHER(want1, want2, expr, what)                                          \
  do {                                                                                   \
    zx_status_t _st = (expr);                                                            \
    if (_st != (want1) && _st != (want2)) {                                              \
      return failf("%s returned %s, want %s or %s (line %d)", what, zjvm_status_name(_st), \
                   zjvm_status_name(want1), zjvm_status_name(want2), __LINE__);          \
    }                                                                                    \
  } while (0)
// Ends the case as skipped (not passed) with a reason.
#define SKIP(...)              \
  do {                         \
    failf(__VA_ARGS__);        \
    g_skipped = true;          \
    return true;               \
  } while (0)
#define EXPECT(cond, ...)                   \
  do {                                      \
    if (!(cond)) return failf(__VA_ARGS__); \
  } while (0)

static zx_info_handle_basic_t basic_info(zx_handle_t h) {
  zx_info_handle_basic_t info;
  memset(&info, 0, sizeof(info));
  zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), NULL, NULL);
  return info;
}

// ---- startup ----
static bool startup_handles(void) {
  struct {
    zx_handle_t h;
    zx_obj_type_t type;
    const char* name;
  } want[] = {
      {zx_process_self(), ZX_OBJ_TYPE_PROCESS, "PA_PROC_SELF"},
      {zx_thread_self(), ZX_OBJ_TYPE_THREAD, "PA_THREAD_SELF"},
      {zx_vmar_root_self(), ZX_OBJ_TYPE_VMAR, "PA_VMAR_ROOT"},
      {zx_job_default(), ZX_OBJ_TYPE_JOB, "PA_JOB_DEFAULT"},
      {zjvm_startup()->vdso_vmo, ZX_OBJ_TYPE_VMO, "PA_VMO_VDSO"},
  };
  for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    EXPECT(want[i].h != ZX_HANDLE_INVALID, "no %s handle", want[i].name);
    zx_info_handle_basic_t info = basic_info(want[i].h);
    EXPECT(info.type == want[i].type, "%s has type %u, want %u", want[i].name, info.type,
           want[i].type);
  }
  zx_info_handle_basic_t thread = basic_info(zx_thread_self());
  zx_info_handle_basic_t process = basic_info(zx_process_self());
  EXPECT(thread.related_koid == process.koid, "thread's related koid %lu is not process %lu",
         (unsigned long)thread.related_koid, (unsigned long)process.koid);
  return true;
}

static bool vdso_base_property(void) {
  uintptr_t base = 0;
  EXPECT_OK(zx_object_get_property(zx_process_self(), ZX_PROP_PROCESS_VDSO_BASE_ADDRESS, &base,
                                   sizeof(base)),
            "get_property(VDSO_BASE_ADDRESS)");
  EXPECT(base == zjvm_startup()->vdso_base, "property says %p, entry arg2 was %p", (void*)base,
         (void*)zjvm_startup()->vdso_base);
  return true;
}

static bool process_info_self(void) {
  zx_info_process_t info;
  size_t actual = 0, avail = 0;
  EXPECT_OK(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS, &info, sizeof(info), &actual,
                               &avail),
            "get_info(PROCESS)");
  EXPECT(actual == 1 && avail == 1, "actual=%zu avail=%zu, want 1/1", actual, avail);
  EXPECT(info.started && !info.exited, "started=%d exited=%d", info.started, info.exited);
  EXPECT_STATUS(ZX_ERR_BUFFER_TOO_SMALL,
                zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS, &info, 4, NULL, NULL),
                "get_info(PROCESS) into 4 bytes");
  return true;
}

// ---- channels ----
static bool channel_write_read(void) {
  zx_handle_t a, b;
  EXPECT_OK(zx_channel_create(0, &a, &b), "channel_create");
  EXPECT(basic_info(a).related_koid == basic_info(b).koid, "ends are not peers");
  static const char kMsg[] = "hello channel";
  EXPECT_OK(zx_channel_write(a, 0, kMsg, sizeof(kMsg), NULL, 0), "channel_write");
  char buf[64];
  uint32_t nb = 0, nh = 0;
  EXPECT_OK(zx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, &nb, &nh), "channel_read");
  EXPECT(nb == sizeof(kMsg) && nh == 0, "read %u bytes %u handles, want %zu/0", nb, nh,
         sizeof(kMsg));
  EXPECT(memcmp(buf, kMsg, sizeof(kMsg)) == 0, "payload differs");
  EXPECT_STATUS(ZX_ERR_SHOULD_WAIT, zx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, &nb, &nh),
                "channel_read on an empty channel");
  zx_handle_close(a);
  zx_handle_close(b);
  return true;
}

static bool channel_buffer_too_small(void) {
  zx_handle_t a, b;
  EXPECT_OK(zx_channel_create(0, &a, &b), "channel_create");
  char msg[16] = "0123456789abcde";
  EXPECT_OK(zx_channel_write(a, 0, msg, sizeof(msg), NULL, 0), "channel_write");
  char small[4], big[32];
  uint32_t nb = 0, nh = 0;
  EXPECT_STATUS(ZX_ERR_BUFFER_TOO_SMALL,
                zx_channel_read(b, 0, small, NULL, sizeof(small), 0, &nb, &nh),
                "channel_read into 4 bytes");
  EXPECT(nb == sizeof(msg), "actual_bytes %u, want %zu", nb, sizeof(msg));
  EXPECT_OK(zx_channel_read(b, 0, big, NULL, sizeof(big), 0, &nb, &nh),
            "channel_read after BUFFER_TOO_SMALL (message must stay queued)");
  EXPECT(nb == sizeof(msg) && memcmp(big, msg, sizeof(msg)) == 0, "message changed");
  zx_handle_close(a);
  zx_handle_close(b);
  return true;
}

static bool channel_peer_closed(void) {
  zx_handle_t a, b;
  EXPECT_OK(zx_channel_create(0, &a, &b), "channel_create");
  EXPECT_OK(zx_handle_close(b), "handle_close");
  zx_signals_t seen = 0;
  EXPECT_OK(zx_object_wait_one(a, ZX_CHANNEL_PEER_CLOSED, 0, &seen), "wait_one(PEER_CLOSED)");
  EXPECT(seen & ZX_CHANNEL_PEER_CLOSED, "observed 0x%x lacks PEER_CLOSED", seen);
  EXPECT_STATUS(ZX_ERR_PEER_CLOSED, zx_channel_write(a, 0, "x", 1, NULL, 0),
                "channel_write to a closed peer");
  zx_handle_close(a);
  return true;
}

static bool channel_handle_transfer(void) {
  zx_handle_t a, b, ev;
  EXPECT_OK(zx_channel_create(0, &a, &b), "channel_create");
  EXPECT_OK(zx_event_create(0, &ev), "event_create");
  zx_koid_t koid = basic_info(ev).koid;
  EXPECT_OK(zx_channel_write(a, 0, "e", 1, &ev, 1), "channel_write with a handle");
  EXPECT_STATUS(ZX_ERR_BAD_HANDLE, zx_handle_close(ev), "closing a handle that was sent");
  char byte;
  zx_handle_t got = ZX_HANDLE_INVALID;
  uint32_t nb = 0, nh = 0;
  EXPECT_OK(zx_channel_read(b, 0, &byte, &got, 1, 1, &nb, &nh), "channel_read with a handle");
  EXPECT(nh == 1 && got != ZX_HANDLE_INVALID, "received %u handles", nh);
  EXPECT(basic_info(got).koid == koid, "received koid %lu, sent %lu",
         (unsigned long)basic_info(got).koid, (unsigned long)koid);
  EXPECT_OK(zx_object_signal(got, 0, ZX_EVENT_SIGNALED), "signal the received event");
  // A channel cannot carry its own handle.
  EXPECT_STATUS(ZX_ERR_NOT_SUPPORTED, zx_channel_write(a, 0, "s", 1, &a, 1),
                "channel_write of the channel's own handle");
  zx_handle_close(got);
  zx_handle_close(b);
  return true;
}

// ---- events and waiting ----
static bool event_signal_wait(void) {
  zx_handle_t ev;
  EXPECT_OK(zx_event_create(0, &ev), "event_create");
  zx_signals_t seen = 0;
  EXPECT_STATUS(ZX_ERR_TIMED_OUT, zx_object_wait_one(ev, ZX_EVENT_SIGNALED, 0, &seen),
                "wait_one on an unsignaled event");
  EXPECT_OK(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0), "object_signal");
  EXPECT_OK(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, &seen), "wait_one");
  EXPECT(seen == (ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0), "observed 0x%x", seen);
  EXPECT_OK(zx_object_signal(ev, ZX_EVENT_SIGNALED, 0), "object_signal(clear)");
  EXPECT_STATUS(ZX_ERR_TIMED_OUT, zx_object_wait_one(ev, ZX_EVENT_SIGNALED, 0, &seen),
                "wait_one after clearing");
  EXPECT_STATUS(ZX_ERR_INVALID_ARGS, zx_object_signal(ev, 0, ZX_CHANNEL_READABLE),
                "object_signal of a non-user bit");
  zx_handle_close(ev);
  return true;
}

static bool eventpair_peer_closed(void) {
  zx_handle_t a, b;
  EXPECT_OK(zx_eventpair_create(0, &a, &b), "eventpair_create");
  EXPECT_OK(zx_object_signal_peer(a, 0, ZX_USER_SIGNAL_1), "object_signal_peer");
  zx_signals_t seen = 0;
  EXPECT_OK(zx_object_wait_one(b, ZX_USER_SIGNAL_1, 0, &seen), "wait_one(peer's signal)");
  zx_handle_close(a);
  EXPECT_OK(zx_object_wait_one(b, ZX_EVENTPAIR_PEER_CLOSED, 0, &seen), "wait_one(PEER_CLOSED)");
  EXPECT_STATUS(ZX_ERR_PEER_CLOSED, zx_object_signal_peer(b, 0, ZX_USER_SIGNAL_0),
                "signal_peer after the peer closed");
  zx_handle_close(b);
  return true;
}

static bool object_wait_many(void) {
  zx_handle_t e0, e1;
  EXPECT_OK(zx_event_create(0, &e0), "event_create");
  EXPECT_OK(zx_event_create(0, &e1), "event_create");
  EXPECT_OK(zx_object_signal(e1, 0, ZX_EVENT_SIGNALED), "object_signal");
  zx_wait_item_t items[2] = {{e0, ZX_EVENT_SIGNALED, 0}, {e1, ZX_EVENT_SIGNALED, 0}};
  EXPECT_OK(zx_object_wait_many(items, 2, zx_deadline_after(ZX_SEC(10))), "object_wait_many");
  EXPECT(!(items[0].pending & ZX_EVENT_SIGNALED) && (items[1].pending & ZX_EVENT_SIGNALED),
         "pending 0x%x / 0x%x", items[0].pending, items[1].pending);
  zx_handle_close(e0);
  zx_handle_close(e1);
  return true;
}

// ---- VMOs and VMARs ----
static bool vmo_read_write(void) {
  zx_handle_t vmo;
  EXPECT_OK(zx_vmo_create(2 * ZX_PAGE_SIZE, 0, &vmo), "vmo_create");
  uint64_t size = 0;
  EXPECT_OK(zx_vmo_get_size(vmo, &size), "vmo_get_size");
  EXPECT(size == 2 * ZX_PAGE_SIZE, "size %lu", (unsigned long)size);
  static const char kData[] = "across a page boundary";
  EXPECT_OK(zx_vmo_write(vmo, kData, ZX_PAGE_SIZE - 5, sizeof(kData)), "vmo_write");
  char buf[sizeof(kData)];
  EXPECT_OK(zx_vmo_read(vmo, buf, ZX_PAGE_SIZE - 5, sizeof(buf)), "vmo_read");
  EXPECT(memcmp(buf, kData, sizeof(kData)) == 0, "read back differs");
  uint8_t zero[16] = {1};
  EXPECT_OK(zx_vmo_read(vmo, zero, 0, sizeof(zero)), "vmo_read of untouched memory");
  for (unsigned i = 0; i < sizeof(zero); i++) EXPECT(zero[i] == 0, "fresh VMO not zero");
  EXPECT_STATUS(ZX_ERR_OUT_OF_RANGE, zx_vmo_read(vmo, buf, 2 * ZX_PAGE_SIZE - 2, 8),
                "vmo_read past the end");
  zx_handle_close(vmo);
  return true;
}

static bool vmo_map_unmap(void) {
  zx_handle_t vmo;
  EXPECT_OK(zx_vmo_create(ZX_PAGE_SIZE, 0, &vmo), "vmo_create");
  zx_vaddr_t addr = 0;
  EXPECT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                        ZX_PAGE_SIZE, &addr),
            "vmar_map");
  volatile uint32_t* p = (volatile uint32_t*)addr;
  p[10] = 0xfeedf00d;
  uint32_t v = 0;
  EXPECT_OK(zx_vmo_read(vmo, &v, 40, 4), "vmo_read");
  EXPECT(v == 0xfeedf00d, "vmo_read saw 0x%x after a store through the mapping", v);
  v = 0x12345678;
  EXPECT_OK(zx_vmo_write(vmo, &v, 44, 4), "vmo_write");
  EXPECT(p[11] == 0x12345678, "mapping saw 0x%x after vmo_write", p[11]);
  EXPECT_STATUS(ZX_ERR_INVALID_ARGS,
                zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_WRITE, 0, vmo, 0, ZX_PAGE_SIZE,
                            &addr),
                "vmar_map write-only");
  EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)p, ZX_PAGE_SIZE), "vmar_unmap");
  zx_handle_close(vmo);
  return true;
}

static bool vmo_resize(void) {
  zx_handle_t vmo, fixed;
  EXPECT_OK(zx_vmo_create(ZX_PAGE_SIZE, ZX_VMO_RESIZABLE, &vmo), "vmo_create(RESIZABLE)");
  EXPECT_OK(zx_vmo_set_size(vmo, 3 * ZX_PAGE_SIZE), "vmo_set_size");
  uint64_t size = 0;
  EXPECT_OK(zx_vmo_get_size(vmo, &size), "vmo_get_size");
  EXPECT(size == 3 * ZX_PAGE_SIZE, "size %lu after resize", (unsigned long)size);
  EXPECT_OK(zx_vmo_create(ZX_PAGE_SIZE, 0, &fixed), "vmo_create");
  EXPECT_STATUS(ZX_ERR_UNAVAILABLE, zx_vmo_set_size(fixed, 2 * ZX_PAGE_SIZE),
                "vmo_set_size of a non-resizable VMO");
  zx_handle_close(vmo);
  zx_handle_close(fixed);
  return true;
}

static bool vmo_cow_child(void) {
  zx_handle_t parent, child;
  EXPECT_OK(zx_vmo_create(ZX_PAGE_SIZE, 0, &parent), "vmo_create");
  EXPECT_OK(zx_vmo_write(parent, "parent", 0, 6), "vmo_write");
  EXPECT_OK(zx_vmo_create_child(parent, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0,
                                ZX_PAGE_SIZE, &child),
            "vmo_create_child");
  char buf[6];
  EXPECT_OK(zx_vmo_read(child, buf, 0, 6), "vmo_read(child)");
  EXPECT(memcmp(buf, "parent", 6) == 0, "child does not see the parent's data");
  EXPECT_OK(zx_vmo_write(child, "child!", 0, 6), "vmo_write(child)");
  EXPECT_OK(zx_vmo_read(parent, buf, 0, 6), "vmo_read(parent)");
  EXPECT(memcmp(buf, "parent", 6) == 0, "a write to the child leaked into the parent");
  zx_handle_close(child);
  zx_handle_close(parent);
  return true;
}

static bool vmo_name_property(void) {
  zx_handle_t vmo;
  EXPECT_OK(zx_vmo_create(ZX_PAGE_SIZE, 0, &vmo), "vmo_create");
  EXPECT_OK(zx_object_set_property(vmo, ZX_PROP_NAME, "smoke-vmo", 9), "set_property(NAME)");
  char name[ZX_MAX_NAME_LEN];
  EXPECT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, sizeof(name)), "get_property(NAME)");
  EXPECT(strcmp(name, "smoke-vmo") == 0, "name is \"%.31s\"", name);
  zx_handle_close(vmo);
  return true;
}

static bool vmar_allocate_specific(void) {
  zx_handle_t sub, vmo;
  zx_vaddr_t base = 0, addr = 0;
  EXPECT_OK(zx_vmar_allocate(zx_vmar_root_self(),
                             ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC, 0,
                             16 * ZX_PAGE_SIZE, &sub, &base),
            "vmar_allocate");
  EXPECT_OK(zx_vmo_create(ZX_PAGE_SIZE, 0, &vmo), "vmo_create");
  EXPECT_OK(zx_vmar_map(sub, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC,
                        4 * ZX_PAGE_SIZE, vmo, 0, ZX_PAGE_SIZE, &addr),
            "vmar_map(SPECIFIC)");
  EXPECT(addr == base + 4 * ZX_PAGE_SIZE, "mapped at %p, want %p", (void*)addr,
         (void*)(base + 4 * ZX_PAGE_SIZE));
  EXPECT_STATUS(ZX_ERR_ACCESS_DENIED,
                zx_vmar_map(sub, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, vmo, 0, ZX_PAGE_SIZE,
                            &addr),
                "vmar_map(EXECUTE) in a VMAR without CAN_MAP_EXECUTE");
  EXPECT_OK(zx_vmar_destroy(sub), "vmar_destroy");
  EXPECT_STATUS(ZX_ERR_BAD_STATE,
                zx_vmar_map(sub, ZX_VM_PERM_READ, 0, vmo, 0, ZX_PAGE_SIZE, &addr),
                "vmar_map into a destroyed VMAR");
  zx_handle_close(vmo);
  zx_handle_close(sub);
  return true;
}

// ---- ports ----
static bool port_user_packet(void) {
  zx_handle_t port;
  EXPECT_OK(zx_port_create(0, &port), "port_create");
  zx_port_packet_t in, out;
  memset(&in, 0, sizeof(in));
  in.key = 42;
  in.type = ZX_PKT_TYPE_USER;
  in.user.u64[0] = 0x1122334455667788ull;
  EXPECT_OK(zx_port_queue(port, &in), "port_queue");
  EXPECT_OK(zx_port_wait(port, ZX_TIME_INFINITE, &out), "port_wait");
  EXPECT(out.key == 42 && out.type == ZX_PKT_TYPE_USER && out.user.u64[0] == in.user.u64[0],
         "got key %lu type %u", (unsigned long)out.key, out.type);
  EXPECT_STATUS(ZX_ERR_TIMED_OUT, zx_port_wait(port, zx_deadline_after(ZX_MSEC(1)), &out),
                "port_wait on an empty port");
  zx_handle_close(port);
  return true;
}

static bool port_wait_async(void) {
  zx_handle_t port, ev;
  EXPECT_OK(zx_port_create(0, &port), "port_create");
  EXPECT_OK(zx_event_create(0, &ev), "event_create");
  EXPECT_OK(zx_object_wait_async(ev, port, 7, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_ONCE),
            "object_wait_async");
  EXPECT_OK(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), "object_signal");
  zx_port_packet_t out;
  EXPECT_OK(zx_port_wait(port, zx_deadline_after(ZX_SEC(10)), &out), "port_wait");
  EXPECT(out.key == 7 && out.type == ZX_PKT_TYPE_SIGNAL_ONE, "key %lu type %u",
         (unsigned long)out.key, out.type);
  EXPECT((out.signal.trigger & ZX_EVENT_SIGNALED) && (out.signal.observed & ZX_EVENT_SIGNALED),
         "trigger 0x%x observed 0x%x", out.signal.trigger, out.signal.observed);
  EXPECT_STATUS(ZX_ERR_WRONG_TYPE, zx_object_wait_async(ev, ev, 1, ZX_EVENT_SIGNALED, 0),
                "object_wait_async with an event as the port");
  zx_handle_close(ev);
  zx_handle_close(port);
  return true;
}

// ---- futexes and threads ----
static bool futex_errors(void) {
  static zx_futex_t word = 1;
  EXPECT_STATUS(ZX_ERR_BAD_STATE, zx_futex_wait(&word, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE),
                "futex_wait with a stale value");
  EXPECT_STATUS(ZX_ERR_TIMED_OUT,
                zx_futex_wait(&word, 1, ZX_HANDLE_INVALID, zx_deadline_after(ZX_MSEC(1))),
                "futex_wait until a deadline");
  EXPECT_OK(zx_futex_wake(&word, 1), "futex_wake without waiters");
  EXPECT_STATUS(ZX_ERR_INVALID_ARGS,
                zx_futex_wait((const zx_futex_t*)((uintptr_t)&word + 1), 1, ZX_HANDLE_INVALID, 0),
                "futex_wait on a misaligned word");
  return true;
}

static zx_futex_t g_thread_word;

// Starts a second thread of this process at `entry` on a fresh 64 KiB stack.
static zx_status_t start_thread(void (*entry)(uintptr_t, uintptr_t), uintptr_t arg1,
                                uintptr_t arg2, zx_handle_t* thread) {
  enum { kStack = 64 * 1024 };
  zx_handle_t stack_vmo;
  zx_vaddr_t stack = 0;
  zx_status_t st = zx_vmo_create(kStack, 0, &stack_vmo);
  if (st != ZX_OK) return st;
  st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, stack_vmo, 0,
                   kStack, &stack);
  zx_handle_close(stack_vmo);  // the mapping keeps it; the stack is left mapped (test process)
  if (st != ZX_OK) return st;
  st = zx_thread_create(zx_process_self(), "smoke-thread", 12, 0, thread);
  if (st != ZX_OK) return st;
  zx_vaddr_t sp = ((stack + kStack) & ~(zx_vaddr_t)15) - 8;  // as right after a call
  return zx_thread_start(*thread, (zx_vaddr_t)entry, sp, arg1, arg2);
}

static void __attribute__((noreturn)) futex_thread(uintptr_t arg1, uintptr_t arg2) {
  zx_futex_t* word = (zx_futex_t*)arg1;
  __atomic_store_n(word, (int)arg2, __ATOMIC_SEQ_CST);
  zx_futex_wake(word, 1);
  zx_thread_exit();
}

static bool thread_futex_wake(void) {
  zx_handle_t thread;
  __atomic_store_n(&g_thread_word, 0, __ATOMIC_SEQ_CST);
  EXPECT_OK(start_thread(futex_thread, (uintptr_t)&g_thread_word, 5, &thread), "starting a thread");
  zx_time_t deadline = zx_deadline_after(ZX_SEC(30));
  while (__atomic_load_n(&g_thread_word, __ATOMIC_SEQ_CST) == 0) {
    zx_status_t st = zx_futex_wait(&g_thread_word, 0, ZX_HANDLE_INVALID, deadline);
    EXPECT(st == ZX_OK || st == ZX_ERR_BAD_STATE, "futex_wait returned %s",
           zjvm_status_name(st));
  }
  EXPECT(g_thread_word == 5, "thread stored %d, want 5", g_thread_word);
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_TERMINATED)");
  zx_handle_close(thread);
  return true;
}

// Server side of channel_call: answers one request with its txid and "pong".
static void __attribute__((noreturn)) echo_thread(uintptr_t arg1, uintptr_t arg2) {
  zx_handle_t ch = (zx_handle_t)arg1;
  uint8_t buf[64];
  uint32_t nb = 0, nh = 0;
  if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE, zx_deadline_after(ZX_SEC(30)), NULL) == ZX_OK &&
      zx_channel_read(ch, 0, buf, NULL, sizeof(buf), 0, &nb, &nh) == ZX_OK && nb >= 4) {
    memcpy(buf + 4, "pong", 4);
    zx_channel_write(ch, 0, buf, 8, NULL, 0);
  }
  zx_thread_exit();
}

static bool channel_call(void) {
  zx_handle_t client, server, thread;
  EXPECT_OK(zx_channel_create(0, &client, &server), "channel_create");
  EXPECT_OK(start_thread(echo_thread, server, 0, &thread), "starting the server thread");
  uint8_t request[8] = {0, 0, 0, 0, 'p', 'i', 'n', 'g'};
  uint8_t reply[16];
  zx_channel_call_args_t args = {
      .wr_bytes = request, .wr_num_bytes = sizeof(request),
      .rd_bytes = reply, .rd_num_bytes = sizeof(reply),
  };
  uint32_t nb = 0, nh = 0;
  EXPECT_OK(zx_channel_call(client, 0, zx_deadline_after(ZX_SEC(30)), &args, &nb, &nh),
            "channel_call");
  EXPECT(nb == 8 && nh == 0 && memcmp(reply + 4, "pong", 4) == 0, "reply of %u bytes", nb);
  uint32_t txid;
  memcpy(&txid, reply, 4);
  EXPECT(txid != 0, "the kernel assigned txid 0");
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_TERMINATED)");
  EXPECT_STATUS(ZX_ERR_TIMED_OUT, zx_channel_call(client, 0, 0, &args, &nb, &nh),
                "channel_call with nobody answering and a past deadline");
  zx_handle_close(thread);
  zx_handle_close(client);
  zx_handle_close(server);
  return true;
}

// ---- time ----
static bool clock_monotonic(void) {
  zx_time_t t1 = zx_clock_get_monotonic();
  zx_time_t t2 = zx_clock_get_monotonic();
  EXPECT(t1 > 0 && t2 >= t1, "monotonic went from %ld to %ld", (long)t1, (long)t2);
  zx_time_t deadline = zx_deadline_after(ZX_MSEC(2));
  EXPECT(deadline >= t2 + ZX_MSEC(2), "deadline_after is before now + 2ms");
  EXPECT_OK(zx_nanosleep(deadline), "nanosleep");
  zx_time_t t3 = zx_clock_get_monotonic();
  EXPECT(t3 >= deadline, "nanosleep returned %ld ns before its deadline", (long)(deadline - t3));
  EXPECT(zx_ticks_per_second() > 0, "ticks_per_second is %ld", (long)zx_ticks_per_second());
  zx_ticks_t k1 = zx_ticks_get(), k2 = zx_ticks_get();
  EXPECT(k2 >= k1, "ticks went backwards");
  return true;
}

static bool timer_signal(void) {
  zx_handle_t timer;
  EXPECT_OK(zx_timer_create(ZX_TIMER_SLACK_CENTER, ZX_CLOCK_MONOTONIC, &timer), "timer_create");
  zx_time_t deadline = zx_deadline_after(ZX_MSEC(1));
  EXPECT_OK(zx_timer_set(timer, deadline, 0), "timer_set");
  EXPECT_OK(zx_object_wait_one(timer, ZX_TIMER_SIGNALED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(TIMER_SIGNALED)");
  EXPECT(zx_clock_get_monotonic() >= deadline, "timer fired before its deadline");
  EXPECT_OK(zx_timer_cancel(timer), "timer_cancel");
  EXPECT_STATUS(ZX_ERR_TIMED_OUT, zx_object_wait_one(timer, ZX_TIMER_SIGNALED, 0, NULL),
                "wait_one after timer_cancel");
  zx_handle_close(timer);
  return true;
}

// ---- handles and rights ----
static bool handle_duplicate_rights(void) {
  zx_handle_t ev, weak;
  EXPECT_OK(zx_event_create(0, &ev), "event_create");
  EXPECT(basic_info(ev).rights == ZX_DEFAULT_EVENT_RIGHTS, "event rights 0x%x",
         basic_info(ev).rights);
  EXPECT_OK(zx_handle_duplicate(ev, ZX_RIGHTS_BASIC, &weak), "handle_duplicate(BASIC)");
  EXPECT(basic_info(weak).rights == ZX_RIGHTS_BASIC, "duplicate has rights 0x%x",
         basic_info(weak).rights);
  EXPECT(basic_info(weak).koid == basic_info(ev).koid, "duplicate names another object");
  EXPECT_STATUS(ZX_ERR_ACCESS_DENIED, zx_object_signal(weak, 0, ZX_EVENT_SIGNALED),
                "object_signal without SIGNAL");
  zx_handle_t more;
  EXPECT_STATUS(ZX_ERR_INVALID_ARGS,
                zx_handle_duplicate(weak, ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL, &more),
                "handle_duplicate asking for more rights");
  zx_handle_t replaced;
  EXPECT_OK(zx_handle_replace(weak, ZX_RIGHT_WAIT, &replaced), "handle_replace");
  EXPECT_STATUS(ZX_ERR_BAD_HANDLE, zx_handle_close(weak), "closing a replaced handle");
  EXPECT_STATUS(ZX_ERR_ACCESS_DENIED, zx_handle_duplicate(replaced, ZX_RIGHT_SAME_RIGHTS, &more),
                "handle_duplicate without DUPLICATE");
  zx_handle_close(replaced);
  zx_handle_close(ev);
  return true;
}

static bool handle_close_errors(void) {
  EXPECT_OK(zx_handle_close(ZX_HANDLE_INVALID), "handle_close(ZX_HANDLE_INVALID)");
  zx_handle_t ev;
  EXPECT_OK(zx_event_create(0, &ev), "event_create");
  EXPECT_OK(zx_handle_close(ev), "handle_close");
  EXPECT_STATUS(ZX_ERR_BAD_HANDLE, zx_handle_close(ev), "handle_close twice");
  EXPECT_STATUS(ZX_ERR_BAD_HANDLE, zx_object_signal(ev, 0, ZX_EVENT_SIGNALED),
                "object_signal on a closed handle");
  return true;
}

static bool wrong_type(void) {
  zx_handle_t ev;
  EXPECT_OK(zx_event_create(0, &ev), "event_create");
  EXPECT_STATUS(ZX_ERR_WRONG_TYPE, zx_channel_write(ev, 0, "x", 1, NULL, 0),
                "channel_write on an event");
  char b;
  EXPECT_STATUS(ZX_ERR_WRONG_TYPE, zx_vmo_read(ev, &b, 0, 1), "vmo_read on an event");
  zx_port_packet_t pkt;
  EXPECT_STATUS(ZX_ERR_WRONG_TYPE, zx_port_wait(ev, 0, &pkt), "port_wait on an event");
  zx_handle_close(ev);
  return true;
}

static bool bad_user_pointer(void) {
  zx_handle_t a, b, vmo;
  EXPECT_OK(zx_channel_create(0, &a, &b), "channel_create");
  // Page 0 is never mapped in a Zircon process (the root VMAR starts at 16 MiB).
  const void* bad = (const void*)(uintptr_t)0x1000;
  EXPECT_STATUS(ZX_ERR_INVALID_ARGS, zx_channel_write(a, 0, bad, 8, NULL, 0),
                "channel_write from an unmapped buffer");
  EXPECT_OK(zx_vmo_create(ZX_PAGE_SIZE, 0, &vmo), "vmo_create");
  // syscalls.md lists NOT_FOUND ("buffer address not mapped") beside INVALID_ARGS here.
  EXPECT_EITHER(ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_FOUND, zx_vmo_read(vmo, (void*)bad, 0, 8),
                "vmo_read into an unmapped buffer");
  EXPECT_STATUS(ZX_ERR_INVALID_ARGS, zx_event_create(0, (zx_handle_t*)bad),
                "event_create with an unmapped out pointer");
  zx_handle_close(vmo);
  zx_handle_close(a);
  zx_handle_close(b);
  return true;
}

// ---- sockets, randomness, jobs, processes ----
static bool socket_stream(void) {
  zx_handle_t a, b;
  EXPECT_OK(zx_socket_create(ZX_SOCKET_STREAM, &a, &b), "socket_create");
  size_t actual = 0;
  EXPECT_OK(zx_socket_write(a, 0, "abcdef", 6, &actual), "socket_write");
  EXPECT(actual == 6, "wrote %zu", actual);
  char buf[8];
  EXPECT_OK(zx_socket_read(b, 0, buf, 4, &actual), "socket_read");
  EXPECT(actual == 4 && memcmp(buf, "abcd", 4) == 0, "first read got %zu bytes", actual);
  EXPECT_OK(zx_socket_read(b, 0, buf, sizeof(buf), &actual), "socket_read");
  EXPECT(actual == 2 && memcmp(buf, "ef", 2) == 0, "second read got %zu bytes", actual);
  EXPECT_STATUS(ZX_ERR_SHOULD_WAIT, zx_socket_read(b, 0, buf, sizeof(buf), &actual),
                "socket_read when empty");
  zx_handle_close(a);
  EXPECT_STATUS(ZX_ERR_PEER_CLOSED, zx_socket_write(b, 0, "x", 1, &actual),
                "socket_write to a closed peer");
  zx_handle_close(b);
  return true;
}

static bool cprng_draw(void) {
  uint8_t a[32], b[32];
  memset(a, 0, sizeof(a));
  memset(b, 0, sizeof(b));
  zx_cprng_draw(a, sizeof(a));
  zx_cprng_draw(b, sizeof(b));
  EXPECT(memcmp(a, b, sizeof(a)) != 0, "two 32-byte draws were equal");
  return true;
}

static bool job_create_child(void) {
  zx_handle_t job;
  EXPECT_OK(zx_job_create(zx_job_default(), 0, &job), "job_create");
  zx_info_handle_basic_t info = basic_info(job);
  EXPECT(info.type == ZX_OBJ_TYPE_JOB, "type %u", info.type);
  EXPECT(info.related_koid == basic_info(zx_job_default()).koid, "parent koid mismatch");
  EXPECT_STATUS(ZX_ERR_WRONG_TYPE, zx_job_create(zx_process_self(), 0, &job),
                "job_create under a process");
  zx_handle_close(job);
  return true;
}

static bool process_exit_code(void) {
  const zjvm_startup_t* s = zjvm_startup();
  EXPECT(s->bootfs_vmo != ZX_HANDLE_INVALID, "no PA_VMO_BOOTFS handle");
  zjvm_bootfs_t fs;
  EXPECT_OK(zjvm_bootfs_map(zx_vmar_root_self(), s->bootfs_vmo, &fs), "mapping BOOTFS");
  const uint8_t* elf;
  size_t size;
  EXPECT_OK(zjvm_bootfs_find(&fs, NULL, "bin/exit7", &elf, &size), "finding bin/exit7");
  const char* argv[] = {"bin/exit7"};
  zjvm_launch_t req = {
      .job = zx_job_default(),
      .name = "exit7",
      .elf = elf,
      .elf_size = size,
      .vdso_vmo = s->vdso_vmo,
      .log = s->log,
      .argv = argv,
      .argc = 1,
  };
  zx_handle_t proc;
  EXPECT_OK(zjvm_launch(&req, &proc), "launching bin/exit7");
  EXPECT_OK(zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, zx_deadline_after(ZX_SEC(60)), NULL),
            "wait_one(PROCESS_TERMINATED)");
  zx_info_process_t info;
  EXPECT_OK(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof(info), NULL, NULL),
            "get_info(PROCESS)");
  EXPECT(info.exited && info.return_code == 7, "exited=%d return_code=%ld, want 1/7", info.exited,
         (long)info.return_code);
  zx_handle_close(proc);
  zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)fs.base, fs.size);
  return true;
}

// Resolves exception `exc` as HANDLED (its thread resumes), closes it and waits for `thread` to end.
static bool resume_handled_and_join(zx_handle_t exc, zx_handle_t thread) {
  uint32_t state = ZX_EXCEPTION_STATE_HANDLED;
  EXPECT_OK(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof(state)),
            "set_property(EXCEPTION_STATE)");
  zx_handle_close(exc);
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_TERMINATED)");
  return true;
}

// A thread executes ud2; the process exception channel gets it, the handler skips the 2-byte
// instruction and sets rax through thread_write_state, marks it HANDLED, and the thread goes on.
static volatile int g_fault_word;

static void __attribute__((noreturn, noinline)) ud2_thread(uintptr_t arg1, uintptr_t arg2) {
  uint64_t rax;
  __asm__ volatile("xor %%eax, %%eax\n\tud2" : "=a"(rax) : : "memory");
  __atomic_store_n(&g_fault_word, (int)rax, __ATOMIC_SEQ_CST);
  zx_futex_wake((zx_futex_t*)&g_fault_word, 1);
  zx_thread_exit();
}

static bool exception_channel_resume(void) {
  zx_handle_t ch, thread, exc, t;
  EXPECT_OK(zx_task_create_exception_channel(zx_process_self(), 0, &ch), "create_exception_channel");
  EXPECT_STATUS(ZX_ERR_ALREADY_BOUND, zx_task_create_exception_channel(zx_process_self(), 0, &t),
                "second create_exception_channel");
  __atomic_store_n(&g_fault_word, 0, __ATOMIC_SEQ_CST);
  EXPECT_OK(start_thread(ud2_thread, 0, 0, &thread), "starting a thread");
  EXPECT_OK(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(exception channel READABLE)");
  zx_exception_info_t info;
  uint32_t nb = 0, nh = 0;
  EXPECT_OK(zx_channel_read(ch, 0, &info, &exc, sizeof(info), 1, &nb, &nh), "channel_read");
  EXPECT(nb == sizeof(info) && nh == 1, "message of %u bytes, %u handles", nb, nh);
  EXPECT(info.type == ZX_EXCP_UNDEFINED_INSTRUCTION, "exception type 0x%x", info.type);
  EXPECT_OK(zx_exception_get_thread(exc, &t), "exception_get_thread");
  zx_thread_state_general_regs_t regs;
  EXPECT_OK(zx_thread_read_state(t, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof(regs)), "read_state");
  EXPECT(((const uint8_t*)regs.rip)[0] == 0x0f && ((const uint8_t*)regs.rip)[1] == 0x0b,
         "rip 0x%lx is not at ud2", (unsigned long)regs.rip);
  regs.rip += 2;
  regs.rax = 0x5a5a;
  EXPECT_OK(zx_thread_write_state(t, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof(regs)), "write_state");
  if (!resume_handled_and_join(exc, thread)) return false;
  EXPECT(g_fault_word == 0x5a5a, "thread saw rax 0x%x, want 0x5a5a", g_fault_word);
  zx_handle_close(t);
  zx_handle_close(thread);
  zx_handle_close(ch);
  return true;
}

// A thread blocked in futex_wait is suspended (the wait is interrupted and the thread stops at the
// syscall boundary), its registers are readable, and closing the token lets it run on.
static volatile int g_suspend_word;

static void __attribute__((noreturn)) suspend_thread(uintptr_t arg1, uintptr_t arg2) {
  while (__atomic_load_n(&g_suspend_word, __ATOMIC_SEQ_CST) == 0) {
    zx_futex_wait((zx_futex_t*)&g_suspend_word, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
  }
  __atomic_store_n(&g_suspend_word, 2, __ATOMIC_SEQ_CST);
  zx_futex_wake((zx_futex_t*)&g_suspend_word, 1);
  zx_thread_exit();
}

static bool thread_suspend_resume(void) {
  zx_handle_t thread, token;
  __atomic_store_n(&g_suspend_word, 0, __ATOMIC_SEQ_CST);
  EXPECT_OK(start_thread(suspend_thread, 0, 0, &thread), "starting a thread");
  zx_thread_state_general_regs_t regs;
  EXPECT_STATUS(ZX_ERR_BAD_STATE,
                zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof(regs)),
                "read_state of a running thread");
  EXPECT_OK(zx_task_suspend(thread, &token), "task_suspend");
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_SUSPENDED)");
  zx_info_thread_t ti;
  EXPECT_OK(zx_object_get_info(thread, ZX_INFO_THREAD, &ti, sizeof(ti), NULL, NULL), "get_info(THREAD)");
  EXPECT(ti.state == ZX_THREAD_STATE_SUSPENDED, "thread state 0x%x, want SUSPENDED", ti.state);
  EXPECT_OK(zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof(regs)),
            "read_state of a suspended thread");
  EXPECT(regs.rsp != 0 && regs.rip != 0, "registers rip 0x%lx rsp 0x%lx", (unsigned long)regs.rip,
         (unsigned long)regs.rsp);
  __atomic_store_n(&g_suspend_word, 1, __ATOMIC_SEQ_CST);
  zx_futex_wake((zx_futex_t*)&g_suspend_word, 1);
  EXPECT_OK(zx_handle_close(token), "closing the suspend token");
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_TERMINATED)");
  EXPECT(g_suspend_word == 2, "thread stored %d, want 2", g_suspend_word);
  zx_handle_close(thread);
  return true;
}

// Job policy rules (locked v1 entries, no change once the job has children) and a job kill that
// takes its child job down with the syscall-kill return code.
static bool job_policy_and_kill(void) {
  zx_handle_t job, child;
  EXPECT_OK(zx_job_create(zx_job_default(), 0, &job), "job_create");
  zx_policy_basic_v1_t deny = {ZX_POL_NEW_VMO, ZX_POL_ACTION_DENY};
  EXPECT_OK(zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V1, &deny, 1), "set_policy");
  zx_policy_basic_v1_t allow = {ZX_POL_NEW_VMO, ZX_POL_ACTION_ALLOW};
  EXPECT_STATUS(ZX_ERR_ALREADY_EXISTS,
                zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V1, &allow, 1),
                "set_policy widening a locked condition");
  EXPECT_OK(zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V1, &allow, 1),
            "relative set_policy (kept silently)");
  EXPECT_OK(zx_job_create(job, 0, &child), "child job_create");
  EXPECT_STATUS(ZX_ERR_BAD_STATE, zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V1, &deny, 1),
                "set_policy on a job with children");
  EXPECT_OK(zx_task_kill(job), "task_kill(job)");
  EXPECT_OK(zx_object_wait_one(child, ZX_TASK_TERMINATED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(child TERMINATED)");
  zx_info_job_t info;
  EXPECT_OK(zx_object_get_info(job, ZX_INFO_JOB, &info, sizeof(info), NULL, NULL), "get_info(JOB)");
  EXPECT(info.exited && info.return_code == ZX_TASK_RETCODE_SYSCALL_KILL, "exited=%d return_code=%ld",
         info.exited, (long)info.return_code);
  zx_handle_t grandchild;
  EXPECT_STATUS(ZX_ERR_BAD_STATE, zx_job_create(job, 0, &grandchild), "job_create in a killed job");
  zx_handle_close(child);
  zx_handle_close(job);
  return true;
}

// A copy of this program started with smoke.crash=1 executes ud2 at once. The job exception
// channel of its job sees it first (with access to the process); passing it on (TRY_NEXT) leaves
// it unhandled and the process is killed with ZX_TASK_RETCODE_EXCEPTION_KILL.
static bool unhandled_exception_kills(void) {
  const zjvm_startup_t* s = zjvm_startup();
  EXPECT(s->bootfs_vmo != ZX_HANDLE_INVALID, "no PA_VMO_BOOTFS handle");
  zjvm_bootfs_t fs;
  EXPECT_OK(zjvm_bootfs_map(zx_vmar_root_self(), s->bootfs_vmo, &fs), "mapping BOOTFS");
  const uint8_t* elf;
  size_t size;
  EXPECT_OK(zjvm_bootfs_find(&fs, NULL, "test/smoke", &elf, &size), "finding test/smoke");
  zx_handle_t job, ch, proc, exc, p2;
  EXPECT_OK(zx_job_create(zx_job_default(), 0, &job), "job_create");
  EXPECT_OK(zx_task_create_exception_channel(job, 0, &ch), "job exception channel");
  const char* argv[] = {"smoke-crash"};
  const char* envp[] = {"smoke.crash=1"};
  zjvm_launch_t req = {
      .job = job, .name = "smoke-crash", .elf = elf, .elf_size = size, .vdso_vmo = s->vdso_vmo,
      .log = s->log, .argv = argv, .argc = 1, .envp = envp, .envc = 1,
  };
  EXPECT_OK(zjvm_launch(&req, &proc), "launching the crashing copy");
  EXPECT_OK(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, zx_deadline_after(ZX_SEC(60)), NULL),
            "wait_one(job exception channel READABLE)");
  zx_exception_info_t info;
  uint32_t nb = 0, nh = 0;
  EXPECT_OK(zx_channel_read(ch, 0, &info, &exc, sizeof(info), 1, &nb, &nh), "channel_read");
  EXPECT(info.type == ZX_EXCP_UNDEFINED_INSTRUCTION, "exception type 0x%x", info.type);
  zx_info_handle_basic_t pinfo = basic_info(proc);
  EXPECT(info.pid == pinfo.koid, "exception pid %lu, process koid %lu", (unsigned long)info.pid,
         (unsigned long)pinfo.koid);
  EXPECT_OK(zx_exception_get_process(exc, &p2), "exception_get_process through a job channel");
  zx_handle_close(p2);
  zx_handle_close(exc);  // TRY_NEXT: no handler is left
  EXPECT_OK(zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, zx_deadline_after(ZX_SEC(60)), NULL),
            "wait_one(PROCESS_TERMINATED)");
  zx_info_process_t pi;
  EXPECT_OK(zx_object_get_info(proc, ZX_INFO_PROCESS, &pi, sizeof(pi), NULL, NULL), "get_info(PROCESS)");
  EXPECT(pi.exited && pi.return_code == ZX_TASK_RETCODE_EXCEPTION_KILL, "exited=%d return_code=%ld",
         pi.exited, (long)pi.return_code);
  zx_handle_close(proc);
  zx_handle_close(ch);
  zx_task_kill(job);
  zx_handle_close(job);
  zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)fs.base, fs.size);
  return true;
}

// The table is an array of pointers: it also checks the runtime's self-relocation.
// The thread's CPU time as the kernel accounts it (ZX_INFO_THREAD_STATS) grows with work done.
static bool thread_stats_runtime(void) {
  zx_info_thread_stats_t before, after;
  EXPECT_OK(zx_object_get_info(zx_thread_self(), ZX_INFO_THREAD_STATS, &before, sizeof(before), NULL, NULL),
            "get_info(THREAD_STATS)");
  volatile uint64_t sink = 0;
  for (uint64_t i = 0; i < 20000000; i++) sink += i;
  EXPECT_OK(zx_object_get_info(zx_thread_self(), ZX_INFO_THREAD_STATS, &after, sizeof(after), NULL, NULL),
            "get_info(THREAD_STATS) again");
  EXPECT(after.total_runtime > before.total_runtime, "total_runtime %ld then %ld",
         (long)before.total_runtime, (long)after.total_runtime);
  return true;
}

// A debugger sets an instruction breakpoint (DR0, DR7.L0) on a suspended thread; when the thread
// reaches it, the process exception channel gets ZX_EXCP_HW_BREAKPOINT with rip at the function
// and DR6.B0 set; the handler clears DR7 and the thread runs on past it.
static volatile int g_bp_word;

static void __attribute__((noinline)) bp_target(void) { __asm__ volatile("nop" ::: "memory"); }

static void __attribute__((noreturn)) bp_thread(uintptr_t arg1, uintptr_t arg2) {
  while (__atomic_load_n(&g_bp_word, __ATOMIC_SEQ_CST) == 0) {
    zx_futex_wait((zx_futex_t*)&g_bp_word, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
  }
  bp_target();
  __atomic_store_n(&g_bp_word, 2, __ATOMIC_SEQ_CST);
  zx_thread_exit();
}

static bool hw_breakpoint_exception(void) {
  zx_handle_t ch, thread, token, exc, t;
  EXPECT_OK(zx_task_create_exception_channel(zx_process_self(), 0, &ch), "create_exception_channel");
  __atomic_store_n(&g_bp_word, 0, __ATOMIC_SEQ_CST);
  EXPECT_OK(start_thread(bp_thread, 0, 0, &thread), "starting a thread");
  EXPECT_OK(zx_task_suspend(thread, &token), "task_suspend");
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_SUSPENDED)");
  zx_thread_state_debug_regs_t dbg;
  memset(&dbg, 0, sizeof(dbg));
  dbg.dr[0] = (uint64_t)(uintptr_t)bp_target;
  dbg.dr7 = 1;  // L0: DR0 enabled, RW0 = 00 (instruction), LEN0 = 00
  zx_status_t st = zx_thread_write_state(thread, ZX_THREAD_STATE_DEBUG_REGS, &dbg, sizeof(dbg));
  if (st == ZX_ERR_NOT_SUPPORTED) {
    zx_task_kill(thread);
    zx_handle_close(token);
    zx_handle_close(thread);
    zx_handle_close(ch);
    SKIP("the host gives no hardware breakpoints (write_state(DEBUG_REGS) is NOT_SUPPORTED)");
  }
  EXPECT_OK(st, "write_state(DEBUG_REGS)");
  __atomic_store_n(&g_bp_word, 1, __ATOMIC_SEQ_CST);
  zx_futex_wake((zx_futex_t*)&g_bp_word, 1);
  EXPECT_OK(zx_handle_close(token), "closing the suspend token");
  EXPECT_OK(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(exception channel READABLE)");
  zx_exception_info_t info;
  uint32_t nb = 0, nh = 0;
  EXPECT_OK(zx_channel_read(ch, 0, &info, &exc, sizeof(info), 1, &nb, &nh), "channel_read");
  EXPECT(info.type == ZX_EXCP_HW_BREAKPOINT, "exception type 0x%x, want HW_BREAKPOINT", info.type);
  EXPECT_OK(zx_exception_get_thread(exc, &t), "exception_get_thread");
  zx_thread_state_general_regs_t regs;
  EXPECT_OK(zx_thread_read_state(t, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof(regs)), "read_state(GENERAL)");
  EXPECT(regs.rip == (uint64_t)(uintptr_t)bp_target, "rip 0x%lx, want bp_target 0x%lx",
         (unsigned long)regs.rip, (unsigned long)(uintptr_t)bp_target);
  EXPECT_OK(zx_thread_read_state(t, ZX_THREAD_STATE_DEBUG_REGS, &dbg, sizeof(dbg)), "read_state(DEBUG_REGS)");
  EXPECT((dbg.dr6 & 1) != 0, "dr6 0x%lx has no B0", (unsigned long)dbg.dr6);
  memset(&dbg, 0, sizeof(dbg));
  EXPECT_OK(zx_thread_write_state(t, ZX_THREAD_STATE_DEBUG_REGS, &dbg, sizeof(dbg)), "clearing DR7");
  if (!resume_handled_and_join(exc, thread)) return false;
  EXPECT(g_bp_word == 2, "thread stored %d, want 2 (it did not run past the breakpoint)", g_bp_word);
  zx_handle_close(t);
  zx_handle_close(thread);
  zx_handle_close(ch);
  return true;
}

// The FP and vector register sets of a suspended thread come back in the 2020 layouts: a
// thread blocked in a syscall keeps the default control words (x87 0x37f, MXCSR masks and
// rounding 0x1f80; the MXCSR status flags are not checked: see docs/hal-native-execution.md).
static bool fp_vector_regs_layout(void) {
  zx_handle_t thread, token;
  __atomic_store_n(&g_suspend_word, 0, __ATOMIC_SEQ_CST);
  EXPECT_OK(start_thread(suspend_thread, 0, 0, &thread), "starting a thread");
  EXPECT_OK(zx_task_suspend(thread, &token), "task_suspend");
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_SUSPENDED)");
  zx_thread_state_fp_regs_t fp;
  zx_thread_state_vector_regs_t vec;
  memset(&fp, 0xa5, sizeof(fp));
  memset(&vec, 0xa5, sizeof(vec));
  EXPECT_OK(zx_thread_read_state(thread, ZX_THREAD_STATE_FP_REGS, &fp, sizeof(fp)), "read_state(FP_REGS)");
  EXPECT_OK(zx_thread_read_state(thread, ZX_THREAD_STATE_VECTOR_REGS, &vec, sizeof(vec)),
            "read_state(VECTOR_REGS)");
  EXPECT_STATUS(ZX_ERR_BUFFER_TOO_SMALL,
                zx_thread_read_state(thread, ZX_THREAD_STATE_VECTOR_REGS, &vec, sizeof(vec) - 8),
                "read_state(VECTOR_REGS) into a short buffer");
  EXPECT(fp.fcw == 0x37f, "fcw 0x%x, want 0x37f", fp.fcw);
  EXPECT((vec.mxcsr & ~0x3fu) == 0x1f80, "mxcsr 0x%x, want control bits 0x1f80", vec.mxcsr);
  __atomic_store_n(&g_suspend_word, 1, __ATOMIC_SEQ_CST);
  zx_futex_wake((zx_futex_t*)&g_suspend_word, 1);
  EXPECT_OK(zx_handle_close(token), "closing the suspend token");
  EXPECT_OK(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(30)), NULL),
            "wait_one(THREAD_TERMINATED)");
  zx_handle_close(thread);
  return true;
}

static const struct {
  const char* name;
  bool (*run)(void);
} kCases[] = {
    {"startup_handles", startup_handles},
    {"vdso_base_property", vdso_base_property},
    {"process_info_self", process_info_self},
    {"channel_write_read", channel_write_read},
    {"channel_buffer_too_small", channel_buffer_too_small},
    {"channel_peer_closed", channel_peer_closed},
    {"channel_handle_transfer", channel_handle_transfer},
    {"event_signal_wait", event_signal_wait},
    {"eventpair_peer_closed", eventpair_peer_closed},
    {"object_wait_many", object_wait_many},
    {"vmo_read_write", vmo_read_write},
    {"vmo_map_unmap", vmo_map_unmap},
    {"vmo_resize", vmo_resize},
    {"vmo_cow_child", vmo_cow_child},
    {"vmo_name_property", vmo_name_property},
    {"vmar_allocate_specific", vmar_allocate_specific},
    {"port_user_packet", port_user_packet},
    {"port_wait_async", port_wait_async},
    {"futex_errors", futex_errors},
    {"thread_futex_wake", thread_futex_wake},
    {"channel_call", channel_call},
    {"clock_monotonic", clock_monotonic},
    {"timer_signal", timer_signal},
    {"handle_duplicate_rights", handle_duplicate_rights},
    {"handle_close_errors", handle_close_errors},
    {"wrong_type", wrong_type},
    {"bad_user_pointer", bad_user_pointer},
    {"socket_stream", socket_stream},
    {"cprng_draw", cprng_draw},
    {"job_create_child", job_create_child},
    {"process_exit_code", process_exit_code},
    {"exception_channel_resume", exception_channel_resume},
    {"thread_suspend_resume", thread_suspend_resume},
    {"job_policy_and_kill", job_policy_and_kill},
    {"unhandled_exception_kills", unhandled_exception_kills},
    {"thread_stats_runtime", thread_stats_runtime},
    {"hw_breakpoint_exception", hw_breakpoint_exception},
    {"fp_vector_regs_layout", fp_vector_regs_layout},
};

int main(int argc, char** argv, char** envp) {
  if (zjvm_getenv("smoke.crash")) __asm__ volatile("ud2");  // for unhandled_exception_kills
  const char* only = zjvm_getenv("smoke.only");
  unsigned pass = 0, fail = 0, skip = 0;
  for (unsigned i = 0; i < sizeof(kCases) / sizeof(kCases[0]); i++) {
    if (only && strcmp(only, kCases[i].name) != 0) continue;
    g_reason[0] = '\0';
    g_skipped = false;
    bool ok = kCases[i].run();
    if (ok && g_skipped) {
      printf("[smoke] SKIP %s: %s\n", kCases[i].name, g_reason);
      skip++;
    } else if (ok) {
      printf("[smoke] PASS %s\n", kCases[i].name);
      pass++;
    } else {
      printf("[smoke] FAIL %s: %s\n", kCases[i].name, g_reason[0] ? g_reason : "no reason given");
      fail++;
    }
  }
  printf("[smoke] SUMMARY pass=%u fail=%u skip=%u total=%u\n", pass, fail, skip, pass + fail + skip);
  return fail == 0 && pass > 0 ? 0 : 1;
}
