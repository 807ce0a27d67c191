// userboot: the first user process (formats.md §D.2). It receives the kernel command
// line and the 15 bootstrap handles, finds the BOOTFS in the ZBI, starts the program
// named by `userboot=` (default bin/bootsvc) with a processargs message laid out like the
// real userboot's, and, with `userboot.shutdown` / `userboot.reboot`, waits for it,
// prints its exit status and powers the machine off.
#include <stdio.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/boot/bootfs.h>
#include <zircon/boot/image.h>
#include <zjvm/runtime.h>

#include "ub.h"

// Bootstrap handle slots of the mid-2020 kernel (formats.md §D.1, June-2020 column).
enum {
  kProcSelf = 0,
  kVmarRootSelf = 1,
  kRootJob = 2,
  kRootResource = 3,
  kZbi = 4,
  kFirstVdso = 5,
  kLastVdso = 7,
  kFirstKernelFile = 8,
  kHandleCount = 15,
  // Extra slots in the child's message.
  kThreadSelf = kHandleCount,
  kBootfsVmo = kHandleCount + 1,
  kChildHandleCount = kHandleCount + 2,
};

#define CMDLINE_MAX 4096u
#define ROOT_MAX 128u

// The bootstrap message is read straight into the environ area of the child's message,
// so the kernel command line words become the child's environment verbatim.
typedef struct {
  zx_proc_args_t hdr;
  uint32_t info[kChildHandleCount];
  char cmdline[CMDLINE_MAX];
} child_message_t;

typedef struct {
  const char* filename;
  char root[ROOT_MAX];
  bool shutdown;
  bool reboot;
} options_t;

extern const char _end[] __attribute__((visibility("hidden")));

zx_handle_t zjvm_log_handle(void) { return ub->log; }

__attribute__((noreturn)) static void fail(const char* what, zx_status_t st) {
  printf("userboot: %s: %s (%d)\n", what, zjvm_status_name(st), st);
  zx_process_exit(-1);
}

static bool word_is(const char* word, const char* key, const char** value) {
  size_t n = strlen(key);
  if (strncmp(word, key, n) != 0) return false;
  if (word[n] == '=') {
    *value = word + n + 1;
    return true;
  }
  if (word[n] == '\0') {  // a bare word (zCore's loader does not append '=')
    *value = word + n;
    return true;
  }
  return false;
}

// Squeezes out empty words (the kernel's final extra NUL, or doubled separators) so the
// words lie back to back as processargs strings must; returns the word count.
static uint32_t pack_words(char* buf, uint32_t len) {
  uint32_t out = 0, count = 0;
  for (uint32_t i = 0; i < len;) {
    uint32_t n = (uint32_t)strnlen(buf + i, len - i);
    if (n > 0) {
      memmove(buf + out, buf + i, n);
      buf[out + n] = '\0';
      out += n + 1;
      count++;
    }
    i += n + 1;
  }
  memset(buf + out, 0, len - out);
  return count;
}

static void parse_options(const char* words, uint32_t count, options_t* o) {
  o->filename = "bin/bootsvc";
  o->root[0] = '\0';
  o->shutdown = o->reboot = false;
  const char* w = words;
  for (uint32_t i = 0; i < count; i++, w += strlen(w) + 1) {
    const char* v;
    if (word_is(w, "userboot", &v)) {
      if (*v) o->filename = v;
    } else if (word_is(w, "userboot.root", &v)) {
      while (*v == '/') v++;
      size_t n = strlen(v);
      while (n > 0 && v[n - 1] == '/') n--;
      if (n + 2 > ROOT_MAX) {
        printf("userboot: `userboot.root` string too long (%zu > %u)\n", n, ROOT_MAX - 2);
        continue;
      }
      memcpy(o->root, v, n);
      if (n) o->root[n++] = '/';
      o->root[n] = '\0';
    } else if (word_is(w, "userboot.shutdown", &v)) {
      o->shutdown = true;
    } else if (word_is(w, "userboot.reboot", &v)) {
      o->reboot = true;
    }
  }
}

// Finds the first BOOTFS item of the ZBI, gives back a VMO holding just its payload and
// marks the item ZBI_TYPE_DISCARD so later readers skip it.
static zx_handle_t extract_bootfs(zx_handle_t zbi, zx_handle_t vmar) {
  zbi_header_t hdr;
  uint64_t zbi_size;
  zx_status_t st = zx_vmo_get_size(zbi, &zbi_size);
  if (st == ZX_OK) st = zx_vmo_read(zbi, &hdr, 0, sizeof(hdr));
  if (st != ZX_OK) fail("cannot read the ZBI container header", st);
  if (hdr.type != ZBI_TYPE_CONTAINER || hdr.extra != ZBI_CONTAINER_MAGIC ||
      hdr.magic != ZBI_ITEM_MAGIC) {
    fail("ZBI does not start with a container header", ZX_ERR_IO);
  }
  uint64_t end = sizeof(hdr) + (uint64_t)hdr.length;
  if (end > zbi_size) end = zbi_size;
  for (uint64_t off = sizeof(hdr); off + sizeof(hdr) <= end;
       off += sizeof(hdr) + ZBI_ALIGN((uint64_t)hdr.length)) {
    st = zx_vmo_read(zbi, &hdr, off, sizeof(hdr));
    if (st != ZX_OK) fail("cannot read a ZBI item header", st);
    if (!(hdr.flags & ZBI_FLAG_VERSION)) fail("bootdata v1 no longer supported", ZX_ERR_IO);
    if (hdr.type == ZBI_TYPE_CONTAINER) fail("container in the middle of bootdata", ZX_ERR_IO);
    if (hdr.type != ZBI_TYPE_STORAGE_BOOTFS) continue;

    uint64_t payload = off + sizeof(hdr);
    if (hdr.length > end - payload) fail("BOOTFS item runs past the ZBI", ZX_ERR_IO);
    if (hdr.flags & ZBI_FLAG_STORAGE_COMPRESSED) {
      fail("compressed BOOTFS is not supported by this userboot", ZX_ERR_NOT_SUPPORTED);
    }
    zx_handle_t bootfs = ZX_HANDLE_INVALID;
    st = ZX_ERR_NOT_SUPPORTED;
    if (payload % ZX_PAGE_SIZE == 0) {
      st = zx_vmo_create_child(zbi, ZX_VMO_CHILD_COPY_ON_WRITE, payload, hdr.length, &bootfs);
    }
    if (st != ZX_OK) {  // unaligned payload (or no COW children): copy it
      st = zx_vmo_create(hdr.length, 0, &bootfs);
      zx_vaddr_t addr = 0;
      if (st == ZX_OK) {
        st = zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, bootfs, 0, hdr.length,
                         &addr);
      }
      if (st == ZX_OK) {
        st = zx_vmo_read(zbi, (void*)addr, payload, hdr.length);
        zx_vmar_unmap(vmar, addr, hdr.length);
      }
      if (st != ZX_OK) fail("cannot copy BOOTFS into a VMO", st);
    }
    static const char kName[] = "uncompressed-bootfs";
    zx_object_set_property(bootfs, ZX_PROP_NAME, kName, sizeof(kName) - 1);
    uint32_t discard = ZBI_TYPE_DISCARD;
    st = zx_vmo_write(zbi, &discard, off, sizeof(discard));
    if (st != ZX_OK) fail("cannot mark the BOOTFS item discarded", st);
    return bootfs;
  }
  fail("no BOOTFS item in the ZBI", ZX_ERR_NOT_FOUND);
}

static uint32_t child_info(uint32_t slot) {
  switch (slot) {
    case kProcSelf: return PA_HND(PA_PROC_SELF, 0);
    case kVmarRootSelf: return PA_HND(PA_VMAR_ROOT, 0);
    case kRootJob: return PA_HND(PA_JOB_DEFAULT, 0);
    case kRootResource: return PA_HND(PA_RESOURCE, 0);
    case kZbi: return PA_HND(PA_VMO_BOOTDATA, 0);
    case kThreadSelf: return PA_HND(PA_THREAD_SELF, 0);
    case kBootfsVmo: return PA_HND(PA_VMO_BOOTFS, 0);
    default:
      if (slot >= kFirstVdso && slot <= kLastVdso) return PA_HND(PA_VMO_VDSO, slot - kFirstVdso);
      return PA_HND(PA_VMO_KERNEL_FILE, slot - kFirstKernelFile);
  }
}

static int64_t wait_for_exit(zx_handle_t process, const char* name) {
  printf("userboot: Waiting for %s to exit...\n", name);
  zx_status_t st = zx_object_wait_one(process, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
  if (st != ZX_OK) fail("zx_object_wait_one on process failed", st);
  zx_info_process_t info;
  st = zx_object_get_info(process, ZX_INFO_PROCESS, &info, sizeof(info), NULL, NULL);
  if (st != ZX_OK) fail("zx_object_get_info on process failed", st);
  printf("userboot: *** Exit status %zd ***\n", (long)info.return_code);
  if (info.return_code == 0) {
    // The token Zircon's boot tests look for on the console.
    printf("userboot: ***ZBI-test-successful!-MDd7/O65SuVZ23yGAaQG4CedYQGH9E1/58r73pSAVK0=***\n");
  }
  return info.return_code;
}

__attribute__((noreturn, used)) void userboot_main(zx_handle_t bootstrap, uintptr_t vdso_base) {
  // The kernel passes the vDSO base as arg2; it is also the end of our own image.
  if (vdso_base == 0) vdso_base = (uintptr_t)_end;
  memset(ub, 0, sizeof(*ub));
  size_t missing = zjvm_vdso_bind(vdso_base, ub->slots, UB_MAX_SLOTS);
  if (missing) {
    printf("userboot: %zu functions missing from the vDSO (first: %s)\n", missing,
           zjvm_vdso_first_missing(vdso_base));
  }

  child_message_t msg;
  zx_handle_t handles[kChildHandleCount];
  uint32_t nbytes = 0, nhandles = 0;
  zx_status_t st = zx_channel_read(bootstrap, 0, msg.cmdline, handles, sizeof(msg.cmdline),
                                   kHandleCount, &nbytes, &nhandles);
  if (st != ZX_OK) fail("cannot read bootstrap message", st);
  zx_handle_close(bootstrap);
  if (nhandles != kHandleCount) {
    printf("userboot: read %u handles instead of %u\n", nhandles, (unsigned)kHandleCount);
    zx_process_exit(-1);
  }
  if (nbytes == sizeof(msg.cmdline) && msg.cmdline[nbytes - 1] != '\0') {
    fail("kernel command line is unterminated", ZX_ERR_INVALID_ARGS);
  }
  memset(msg.cmdline + nbytes, 0, sizeof(msg.cmdline) - nbytes);

  zx_handle_t log;
  st = zx_debuglog_create(handles[kRootResource], 0, &log);
  if (st == ZX_OK) {
    ub->log = log;
  } else {
    printf("userboot: zx_debuglog_create failed: %d, using zx_debug_write instead\n", st);
  }
  zx_handle_t power_resource = ZX_HANDLE_INVALID;
  zx_handle_duplicate(handles[kRootResource], ZX_RIGHT_SAME_RIGHTS, &power_resource);

  uint32_t words = pack_words(msg.cmdline, sizeof(msg.cmdline));
  options_t opt;
  parse_options(msg.cmdline, words, &opt);
  for (uint32_t i = 0, off = 0; i < words; i++) {
    printf("userboot: option \"%s\"\n", msg.cmdline + off);
    off += (uint32_t)strlen(msg.cmdline + off) + 1;
  }

  zx_handle_t self_vmar = handles[kVmarRootSelf];
  zx_handle_t bootfs_vmo = extract_bootfs(handles[kZbi], self_vmar);
  zjvm_bootfs_t fs;
  st = zjvm_bootfs_map(self_vmar, bootfs_vmo, &fs);
  if (st != ZX_OK) fail("cannot map BOOTFS", st);
  printf("userboot: searching bootfs for '%s%s'\n", opt.root, opt.filename);
  const uint8_t* elf;
  size_t elf_size;
  st = zjvm_bootfs_find(&fs, opt.root, opt.filename, &elf, &elf_size);
  if (st != ZX_OK) fail(opt.filename, st);

  zjvm_child_t child;
  st = zjvm_child_prepare(handles[kRootJob], opt.filename, elf, elf_size, handles[kFirstVdso],
                          "userboot-child-initial-stack", &child);
  if (st != ZX_OK) fail("cannot load the program", st);
  printf("userboot: loaded %s at %p, entry point %p\n", opt.filename, (void*)child.load_bias,
         (void*)child.entry);

  // The child's handles: the kernel's, in the same slots, with our process and VMAR
  // replaced by the child's, plus its thread and the BOOTFS VMO (formats.md §D.2 step 9).
  zx_handle_t own_process = handles[kProcSelf];
  st = zx_handle_duplicate(child.process, ZX_RIGHT_SAME_RIGHTS, &handles[kProcSelf]);
  if (st != ZX_OK) fail("zx_handle_duplicate failed on child process handle", st);
  handles[kVmarRootSelf] = child.root_vmar;
  child.root_vmar = ZX_HANDLE_INVALID;
  st = zx_handle_duplicate(child.thread, ZX_RIGHT_SAME_RIGHTS, &handles[kThreadSelf]);
  if (st != ZX_OK) fail("zx_handle_duplicate failed on child thread handle", st);
  handles[kBootfsVmo] = bootfs_vmo;
  uint32_t n = 0;
  for (uint32_t slot = 0; slot < kChildHandleCount; slot++) {
    if (handles[slot] == ZX_HANDLE_INVALID) continue;  // a slot the kernel left empty
    handles[n] = handles[slot];
    msg.info[n++] = child_info(slot);
  }
  for (uint32_t i = n; i < kChildHandleCount; i++) msg.info[i] = 0;
  msg.hdr = (zx_proc_args_t){
      .protocol = ZX_PROCARGS_PROTOCOL,
      .version = ZX_PROCARGS_VERSION,
      .handle_info_off = offsetof(child_message_t, info),
      .environ_off = offsetof(child_message_t, cmdline),
      .environ_num = words,
  };

  zx_handle_t to_child, child_end;
  st = zx_channel_create(0, &to_child, &child_end);
  if (st != ZX_OK) fail("zx_channel_create failed", st);
  st = zx_channel_write(to_child, 0, &msg, sizeof(msg), handles, n);
  if (st != ZX_OK) fail("zx_channel_write to child failed", st);
  zx_handle_close(to_child);
  st = zx_process_start(child.process, child.thread, child.entry, child.sp, child_end,
                        child.vdso_base);
  if (st != ZX_OK) fail("zx_process_start failed", st);
  printf("userboot: process %s started.\n", opt.filename);
  zx_handle_close(child.thread);
  zx_vmar_unmap(self_vmar, (zx_vaddr_t)fs.base, fs.size);

  if (opt.shutdown || opt.reboot) {
    int64_t rc = wait_for_exit(child.process, opt.filename);
    const char* what = opt.reboot ? "reboot" : "poweroff";
    if (opt.reboot) {
      printf("userboot: Waiting 3 seconds...\n");
      zx_nanosleep(zx_deadline_after(ZX_SEC(3)));
    }
    printf("userboot: Process exited.  Executing \"%s\".\n", what);
    zx_system_powerctl(power_resource,
                       opt.reboot ? ZX_SYSTEM_POWERCTL_REBOOT : ZX_SYSTEM_POWERCTL_SHUTDOWN, NULL);
    // A kernel without powerctl returns here: leave with the program's status, so the
    // exit of the last process still carries it.
    printf("userboot: still here after %s!\n", what);
    zx_process_exit(rc);
  }
  zx_handle_close(own_process);
  printf("userboot: finished!\n");
  zx_process_exit(0);
}
