// Host-side mini kernel: boots OUR userboot natively on Linux against a libos vDSO and
// lets it start programs from a BOOTFS image, so userboot's ZBI/BOOTFS handling, ELF
// loading, processargs message and the programs' process launching can run before the
// real (Java) kernel exists. It fakes just the objects and syscalls userboot, bin/bootsvc
// and bin/hello use: channels, VMOs (memfds, mapped for real), VMARs (bump allocators
// inside PROT_NONE reservations), processes/threads (pthreads), debuglog, powerctl.
// One handle table is shared by all processes; there is no isolation. Not a kernel:
// a test fixture.
//
// usage: minikernel VDSO USERBOOT "CMDLINE" EXPECTED_EXIT (name=path...|zbi=FILE) -- [SUBSTRING...]
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OK = 0, NOT_SUPPORTED = -2, INVALID_ARGS = -10, BAD_HANDLE = -11, WRONG_TYPE = -12,
       OUT_OF_RANGE = -14, BUFFER_TOO_SMALL = -15, SHOULD_WAIT = -22, PEER_CLOSED = -24 };
enum kind { K_FREE, K_CHANNEL, K_VMO, K_VMAR, K_PROCESS, K_THREAD, K_JOB, K_RESOURCE, K_LOG };
static const uint32_t kObjType[] = {0, 4, 3, 18, 1, 2, 17, 15, 12};

typedef struct msg {
  struct msg* next;
  uint32_t nbytes, nhandles;
  uint8_t bytes[65536];
  uint32_t handles[64];
} msg_t;

typedef struct obj {
  enum kind kind;
  int refs;
  uint64_t koid;
  // channel
  struct obj* peer;
  msg_t* queue;
  int closed;
  // vmo
  int fd;
  uint64_t size;
  // vmar
  uintptr_t base, len, next;
  // process / thread
  struct obj* process;
  struct obj* vmar;
  int terminated;
  int64_t retcode;
  uintptr_t entry, sp, arg2;
  uint32_t arg1;
} obj_t;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static obj_t* g_handles[4096];
static uint64_t g_next_koid = 1024;
static const char* g_names[512];
static char g_output[1 << 18];
static size_t g_output_len;
static jmp_buf g_boot_done;
static int64_t g_final_status;
static int g_powerctl;
static __thread jmp_buf* t_exit;

static obj_t* new_obj(enum kind k) {
  obj_t* o = calloc(1, sizeof(*o));
  o->kind = k;
  o->koid = g_next_koid++;
  return o;
}

static uint32_t install(obj_t* o) {
  for (uint32_t i = 1; i < 4096; i++) {
    if (!g_handles[i]) {
      g_handles[i] = o;
      o->refs++;
      return (i << 2) | 3;
    }
  }
  abort();
}

static obj_t* lookup(uint32_t h) {
  if ((h & 3) != 3 || (h >> 2) >= 4096) return NULL;
  return g_handles[h >> 2];
}

static void release(uint32_t h) {
  obj_t* o = g_handles[h >> 2];
  g_handles[h >> 2] = NULL;
  if (--o->refs == 0 && o->kind == K_CHANNEL && o->peer) o->peer->closed = 1;
  pthread_cond_broadcast(&g_cond);
}

static void out(const char* s, size_t n) {
  if (n > sizeof(g_output) - 1 - g_output_len) n = sizeof(g_output) - 1 - g_output_len;
  memcpy(g_output + g_output_len, s, n);
  g_output_len += n;
  if (getenv("HOSTTEST_VERBOSE")) {
    fwrite(s, 1, n, stdout);
    fflush(stdout);
  }
}

static obj_t* new_vmo(uint64_t size) {
  obj_t* o = new_obj(K_VMO);
  o->fd = memfd_create("vmo", 0);
  o->size = (size + 4095) & ~4095ull;
  if (ftruncate(o->fd, (off_t)o->size) != 0) abort();
  return o;
}

static obj_t* new_vmar(uintptr_t base, uintptr_t len) {
  obj_t* o = new_obj(K_VMAR);
  o->base = o->next = base;
  o->len = len;
  return o;
}

static obj_t* new_process(void) {
  obj_t* p = new_obj(K_PROCESS);
  size_t len = 1ul << 30;
  void* base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  p->vmar = new_vmar((uintptr_t)base, len);
  return p;
}

static void* guest_thread(void* arg);
extern void enter_guest(uintptr_t entry, uintptr_t sp, uintptr_t arg1, uintptr_t arg2);

#define A(i) ((uintptr_t)a[i])
static long dispatch(const char* n, long* a) {
  obj_t* o;
  if (!strcmp(n, "handle_close")) {
    if (a[0] == 0) return OK;
    if (!lookup(a[0])) return BAD_HANDLE;
    release(a[0]);
    return OK;
  }
  if (!strcmp(n, "handle_duplicate") || !strcmp(n, "handle_replace") ||
      !strcmp(n, "vmo_replace_as_executable")) {
    if (!(o = lookup(a[0]))) return BAD_HANDLE;
    uint32_t h = install(o);
    if (strcmp(n, "handle_duplicate")) release(a[0]);
    *(uint32_t*)A(2) = h;
    return OK;
  }
  if (!strcmp(n, "channel_create")) {
    obj_t *x = new_obj(K_CHANNEL), *y = new_obj(K_CHANNEL);
    x->peer = y;
    y->peer = x;
    *(uint32_t*)A(1) = install(x);
    *(uint32_t*)A(2) = install(y);
    return OK;
  }
  if (!strcmp(n, "channel_write")) {
    if (!(o = lookup(a[0]))) return BAD_HANDLE;
    if (o->kind != K_CHANNEL) return WRONG_TYPE;
    msg_t* m = calloc(1, sizeof(*m));
    m->nbytes = (uint32_t)a[3];
    m->nhandles = (uint32_t)a[5];
    memcpy(m->bytes, (void*)A(2), m->nbytes);
    for (uint32_t i = 0; i < m->nhandles; i++) {
      uint32_t h = ((uint32_t*)A(4))[i];
      obj_t* t = lookup(h);
      if (!t) return BAD_HANDLE;
      m->handles[i] = h;  // handles keep their values: one shared table
    }
    if (o->peer->refs == 0) return PEER_CLOSED;
    msg_t** tail = &o->peer->queue;
    while (*tail) tail = &(*tail)->next;
    *tail = m;
    pthread_cond_broadcast(&g_cond);
    return OK;
  }
  if (!strcmp(n, "channel_read")) {
    if (!(o = lookup(a[0]))) return BAD_HANDLE;
    msg_t* m = o->queue;
    if (!m) return o->closed ? PEER_CLOSED : SHOULD_WAIT;
    if (a[6]) *(uint32_t*)A(6) = m->nbytes;
    if (a[7]) *(uint32_t*)A(7) = m->nhandles;
    if (m->nbytes > (uint32_t)a[4] || m->nhandles > (uint32_t)a[5]) return BUFFER_TOO_SMALL;
    memcpy((void*)A(2), m->bytes, m->nbytes);
    if (m->nhandles) memcpy((void*)A(3), m->handles, 4 * m->nhandles);
    o->queue = m->next;
    free(m);
    return OK;
  }
  if (!strcmp(n, "object_wait_one")) {
    if (!(o = lookup(a[0]))) return BAD_HANDLE;
    uint32_t want = (uint32_t)a[1];
    for (;;) {
      uint32_t seen = 0;
      if (o->kind == K_CHANNEL) seen = (o->queue ? 1 : 0) | (o->closed ? 4 : 0);
      if (o->kind == K_PROCESS || o->kind == K_THREAD) seen = o->terminated ? 8 : 0;
      if (seen & want) {
        if (a[3]) *(uint32_t*)A(3) = seen;
        return OK;
      }
      if (a[2] == 0) return -21;
      pthread_cond_wait(&g_cond, &g_lock);
    }
  }
  if (!strcmp(n, "object_get_info")) {
    if (!(o = lookup(a[0]))) return BAD_HANDLE;
    if (a[1] == 2) {  // HANDLE_BASIC
      uint64_t info[4] = {o->koid, ((uint64_t)kObjType[o->kind] << 32) | 0xffff, 0, 0};
      memcpy((void*)A(2), info, 32);
    } else if (a[1] == 3 && o->kind == K_PROCESS) {
      uint64_t info[2] = {(uint64_t)o->retcode, 1 | (o->terminated ? 0x100 : 0)};
      memcpy((void*)A(2), info, 16);
    } else if (a[1] == 7 && o->kind == K_VMAR) {
      uint64_t info[2] = {o->base, o->len};
      memcpy((void*)A(2), info, 16);
    } else {
      return NOT_SUPPORTED;
    }
    if (a[4]) *(size_t*)A(4) = 1;
    if (a[5]) *(size_t*)A(5) = 1;
    return OK;
  }
  if (!strcmp(n, "object_set_property")) return lookup(a[0]) ? OK : BAD_HANDLE;
  if (!strcmp(n, "debuglog_create")) {
    *(uint32_t*)A(2) = install(new_obj(K_LOG));
    return OK;
  }
  if (!strcmp(n, "debuglog_write")) {
    out((const char*)A(2), (size_t)a[3]);
    return OK;
  }
  if (!strcmp(n, "debug_write")) {
    out((const char*)A(0), (size_t)a[1]);
    return OK;
  }
  if (!strcmp(n, "vmo_create")) {
    *(uint32_t*)A(2) = install(new_vmo((uint64_t)a[0]));
    return OK;
  }
  if (!strcmp(n, "vmo_get_size")) {
    if (!(o = lookup(a[0])) || o->kind != K_VMO) return BAD_HANDLE;
    *(uint64_t*)A(1) = o->size;
    return OK;
  }
  if (!strcmp(n, "vmo_read") || !strcmp(n, "vmo_write")) {
    if (!(o = lookup(a[0]))) return BAD_HANDLE;
    if (o->kind != K_VMO) return WRONG_TYPE;
    if ((uint64_t)a[2] + (uint64_t)a[3] > o->size) return OUT_OF_RANGE;
    ssize_t r = n[4] == 'r' ? pread(o->fd, (void*)A(1), (size_t)a[3], a[2])
                            : pwrite(o->fd, (void*)A(1), (size_t)a[3], a[2]);
    return r == (ssize_t)a[3] ? OK : INVALID_ARGS;
  }
  if (!strcmp(n, "vmo_create_child")) {  // an eager copy; no COW here
    if (!(o = lookup(a[0])) || o->kind != K_VMO) return BAD_HANDLE;
    if (getenv("MINIKERNEL_NO_CHILDREN")) return NOT_SUPPORTED;
    obj_t* c = new_vmo((uint64_t)a[3]);
    uint64_t n2 = (uint64_t)a[2] >= o->size ? 0 : o->size - (uint64_t)a[2];
    if (n2 > (uint64_t)a[3]) n2 = (uint64_t)a[3];
    void* tmp = malloc(n2 + 1);
    if (pread(o->fd, tmp, n2, a[2]) != (ssize_t)n2 || pwrite(c->fd, tmp, n2, 0) != (ssize_t)n2) abort();
    free(tmp);
    *(uint32_t*)A(4) = install(c);
    return OK;
  }
  if (!strcmp(n, "vmar_allocate")) {
    if (!(o = lookup(a[0])) || o->kind != K_VMAR) return BAD_HANDLE;
    uintptr_t size = (A(3) + 4095) & ~4095ul, base;
    if (a[1] & 0x10) {
      base = o->base + A(2);
    } else {
      base = o->next;
    }
    if (base + size > o->base + o->len) return -3;
    if (base + size > o->next) o->next = base + size;
    obj_t* v = new_vmar(base, size);
    *(uint32_t*)A(4) = install(v);
    *(uintptr_t*)A(5) = base;
    return OK;
  }
  if (!strcmp(n, "vmar_destroy")) return lookup(a[0]) ? OK : BAD_HANDLE;
  if (!strcmp(n, "vmar_map")) {
    obj_t* v = lookup(a[0]);
    obj_t* vmo = lookup(a[3]);
    if (!v || !vmo) return BAD_HANDLE;
    uintptr_t len = (A(5) + 4095) & ~4095ul;
    uintptr_t addr = (a[1] & 0x10) ? v->base + A(2) : v->next;
    if (!(a[1] & 0x10)) v->next += len;
    int prot = ((a[1] & 1) ? PROT_READ : 0) | ((a[1] & 2) ? PROT_WRITE : 0) |
               ((a[1] & 4) ? PROT_EXEC : 0);
    if (mmap((void*)addr, len, prot, MAP_SHARED | MAP_FIXED, vmo->fd, a[4]) == MAP_FAILED) {
      return INVALID_ARGS;
    }
    *(uintptr_t*)A(6) = addr;
    return OK;
  }
  if (!strcmp(n, "vmar_unmap")) {
    mmap((void*)A(1), A(2), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    return OK;
  }
  if (!strcmp(n, "process_create")) {
    obj_t* p = new_process();
    *(uint32_t*)A(4) = install(p);
    *(uint32_t*)A(5) = install(p->vmar);
    return OK;
  }
  if (!strcmp(n, "thread_create")) {
    obj_t* t = new_obj(K_THREAD);
    t->process = lookup(a[0]);
    *(uint32_t*)A(4) = install(t);
    return OK;
  }
  if (!strcmp(n, "process_start")) {
    obj_t* t = lookup(a[1]);
    t->entry = A(2);
    t->sp = A(3);
    t->arg1 = (uint32_t)a[4];
    t->arg2 = A(5);
    pthread_t th;
    pthread_create(&th, NULL, guest_thread, t);
    pthread_detach(th);
    return OK;
  }
  if (!strcmp(n, "process_exit")) return 0x7fffffff;  // handled by the caller
  if (!strcmp(n, "system_powerctl")) {
    g_powerctl = (int)a[1];
    return 0x7ffffffe;
  }
  if (!strcmp(n, "nanosleep") || !strcmp(n, "task_kill")) return OK;
  return NOT_SUPPORTED;
}

// Per-thread state: which thread object runs here (NULL = userboot on the main thread).
static __thread obj_t* t_thread;

long kernel_entry(long a0, long a1, long a2, long a3, long a4, long a5, long num, long a6,
                  long a7) {
  long a[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
  const char* name = num >= 0 && num < 512 && g_names[num] ? g_names[num] + 4 : "?";
  pthread_mutex_lock(&g_lock);
  long r = dispatch(name, a);
  if (r == NOT_SUPPORTED && getenv("HOSTTEST_VERBOSE")) {
    fprintf(stderr, "minikernel: %s -> NOT_SUPPORTED\n", name);
  }
  if (r == 0x7fffffff) {  // process_exit
    if (t_thread) {
      t_thread->terminated = 1;
      t_thread->process->terminated = 1;
      t_thread->process->retcode = a0;
      pthread_cond_broadcast(&g_cond);
      pthread_mutex_unlock(&g_lock);
      longjmp(*t_exit, 1);
    }
    g_final_status = a0;
    pthread_mutex_unlock(&g_lock);
    longjmp(g_boot_done, 1);
  }
  if (r == 0x7ffffffe) {  // powerctl: the boot is over
    pthread_mutex_unlock(&g_lock);
    longjmp(g_boot_done, 2);
  }
  pthread_mutex_unlock(&g_lock);
  return r;
}

__asm__(
    ".text\n"
    "kernel_trampoline:\n"
    "  push %rbp\n"
    "  mov %rsp, %rbp\n"
    "  sub $8, %rsp\n"
    "  pushq 24(%rbp)\n"
    "  pushq 16(%rbp)\n"
    "  push %rax\n"
    "  call kernel_entry\n"
    "  leave\n"
    "  ret\n"
    ".globl enter_guest\n"
    "enter_guest:\n"
    "  mov %rsi, %rsp\n"
    "  mov %rdi, %rax\n"
    "  mov %rdx, %rdi\n"
    "  mov %rcx, %rsi\n"
    "  xor %ebp, %ebp\n"
    "  jmp *%rax\n");
extern char kernel_trampoline[];

static void* guest_thread(void* arg) {
  jmp_buf done;
  t_thread = arg;
  t_exit = &done;
  if (setjmp(done) == 0) enter_guest(t_thread->entry, t_thread->sp, t_thread->arg1, t_thread->arg2);
  return NULL;
}

static uint8_t* read_file(const char* path, size_t* size) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(path);
    exit(2);
  }
  uint8_t* buf = malloc(st.st_size + 1);
  if (read(fd, buf, st.st_size) != st.st_size) exit(2);
  close(fd);
  *size = (size_t)st.st_size;
  return buf;
}

static obj_t* vmo_from(const uint8_t* data, size_t size) {
  obj_t* v = new_vmo(size);
  if (pwrite(v->fd, data, size, 0) != (ssize_t)size) exit(2);
  return v;
}

// The vDSO VMO, with its syscall slots aimed at us and the stub numbering learned.
static obj_t* load_vdso(const char* path) {
  size_t size;
  uint8_t* f = read_file(path, &size);
  Elf64_Ehdr* eh = (Elf64_Ehdr*)f;
  Elf64_Shdr* sh = (Elf64_Shdr*)(f + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM) continue;
    Elf64_Sym* sym = (Elf64_Sym*)(f + sh[i].sh_offset);
    const char* str = (const char*)(f + sh[sh[i].sh_link].sh_offset);
    for (size_t j = 0; j < sh[i].sh_size / sizeof(Elf64_Sym); j++) {
      const char* n = str + sym[j].st_name;
      if (sh[i].sh_type == SHT_SYMTAB && !strcmp(n, "zcore_syscall_entry")) {
        uintptr_t target = (uintptr_t)kernel_trampoline;
        memcpy(f + sym[j].st_value, &target, 8);
      }
      // Blocking calls wrap an internal stub (CODE_SYSCALL_zx_foo in zCore's vDSO,
      // SYSCALL_zx_foo in ours) with a retry loop.
      char* alias = NULL;
      const char* internal = strstr(n, "SYSCALL_zx_");
      if (sh[i].sh_type == SHT_SYMTAB && internal && asprintf(&alias, "_%s", internal + 8) > 0) {
        n = alias;
      }
      if (!strncmp(n, "_zx_", 4)) {
        const uint8_t* code = f + sym[j].st_value;
        for (int k = 0; k < 24; k++) {
          if (code[k] == 0xb8) {
            uint32_t num;
            memcpy(&num, code + k + 1, 4);
            if (num < 512 && !g_names[num]) g_names[num] = n;
            break;
          }
        }
      }
    }
  }
  return vmo_from(f, size);
}

// A ZBI: container + one uncompressed BOOTFS item holding the given files.
static obj_t* make_zbi(int n, char** specs) {
  size_t cap = 1 << 20, dir = 0;
  for (int i = 0; i < n; i++) dir += (12 + strcspn(specs[i], "=") + 1 + 3) & ~3ul;
  uint8_t* fs = calloc(1, 64 << 20);
  size_t data = (16 + dir + 4095) & ~4095ul, pos = 16;
  for (int i = 0; i < n; i++) {
    char* eq = strchr(specs[i], '=');
    *eq = 0;
    size_t size;
    uint8_t* file = read_file(eq + 1, &size);
    uint32_t nl = (uint32_t)strlen(specs[i]) + 1;
    uint32_t ent[3] = {nl, (uint32_t)size, (uint32_t)data};
    memcpy(fs + pos, ent, 12);
    memcpy(fs + pos + 12, specs[i], nl);
    pos += (12 + nl + 3) & ~3u;
    memcpy(fs + data, file, size);
    data = (data + size + 4095) & ~4095ul;
  }
  uint32_t hdr[4] = {0xa56d3ff9, (uint32_t)dir, 0, 0};
  memcpy(fs, hdr, 16);
  (void)cap;
  uint8_t* zbi = calloc(1, data + 64);
  uint32_t c[8] = {0x544f4f42, (uint32_t)(32 + ((data + 7) & ~7ul)), 0x868cf7e6, 0x10000, 0, 0,
                   0xb5781729, 0x4a87e8d6};
  uint32_t b[8] = {0x42534642, (uint32_t)data, (uint32_t)data, 0x10000, 0, 0, 0xb5781729,
                   0x4a87e8d6};
  memcpy(zbi, c, 32);
  memcpy(zbi + 32, b, 32);
  memcpy(zbi + 64, fs, data);
  return vmo_from(zbi, data + 64);
}

int main(int argc, char** argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s VDSO USERBOOT CMDLINE EXIT name=path... -- [SUBSTRING...]\n", argv[0]);
    return 2;
  }
  int nfiles = 0;
  while (5 + nfiles < argc && strcmp(argv[5 + nfiles], "--")) nfiles++;
  obj_t* vdso = load_vdso(argv[1]);
  // `zbi=FILE` boots a ready-made image (e.g. prebuilt/bringup.zbi from the ZBI tool).
  obj_t* zbi;
  if (nfiles == 1 && !strncmp(argv[5], "zbi=", 4)) {
    size_t zsize;
    uint8_t* z = read_file(argv[5] + 4, &zsize);
    zbi = vmo_from(z, zsize);
  } else {
    zbi = make_zbi(nfiles, argv + 5);
  }

  // userboot's process: its image at the start of a VMAR, the vDSO right after it.
  obj_t* proc = new_process();
  size_t ub_size;
  uint8_t* ub = read_file(argv[2], &ub_size);
  Elf64_Ehdr* eh = (Elf64_Ehdr*)ub;
  Elf64_Phdr* ph = (Elf64_Phdr*)(ub + eh->e_phoff);
  uintptr_t image = 0;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_LOAD) image = (ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095ul;
  }
  uintptr_t base = proc->vmar->next;
  proc->vmar->next += image + vdso->size;
  obj_t* ubvmo = vmo_from(ub, ub_size < image ? ub_size : image);
  mmap((void*)base, image, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, ubvmo->fd, 0);
  mmap((void*)(base + image), vdso->size, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, vdso->fd, 0);
  obj_t* stack = new_vmo(256 * 1024);
  void* sp = mmap(NULL, stack->size, PROT_READ | PROT_WRITE, MAP_SHARED, stack->fd, 0);

  // The bootstrap message: normalized command line + the 15 handles (formats.md §D.1).
  char cmdline[4096] = {0};
  size_t clen = 0;
  for (char* w = strtok(strdup(argv[3]), " "); w; w = strtok(NULL, " ")) {
    clen += (size_t)sprintf(cmdline + clen, "%s%s", w, strchr(w, '=') ? "" : "=") + 1;
  }
  clen++;
  obj_t* user_end = new_obj(K_CHANNEL);
  obj_t* kernel_end = new_obj(K_CHANNEL);
  user_end->peer = kernel_end;
  kernel_end->peer = user_end;
  msg_t* m = calloc(1, sizeof(*m));
  m->nbytes = (uint32_t)clen;
  memcpy(m->bytes, cmdline, clen);
  obj_t* slots[15] = {proc, proc->vmar, new_obj(K_JOB), new_obj(K_RESOURCE), zbi, vdso, vdso, vdso};
  for (int i = 8; i < 15; i++) slots[i] = new_vmo(4096);
  for (int i = 0; i < 15; i++) m->handles[i] = install(slots[i]);
  m->nhandles = 15;
  user_end->queue = m;
  kernel_end->closed = 1;
  uint32_t bootstrap = install(user_end);

  int how = setjmp(g_boot_done);
  if (how == 0) {
    enter_guest(base + eh->e_entry, (((uintptr_t)sp + stack->size) & ~15ul) - 8, bootstrap,
                base + image);
  }
  // After powerctl the status is the one userboot printed; after a plain exit, its own.
  int64_t status = g_final_status;
  if (how == 2) {
    const char* p = strstr(g_output, "*** Exit status ");
    status = p ? strtoll(p + 16, NULL, 10) : -999;
  }
  g_output[g_output_len] = 0;
  int ok = 1;
  long want = strtol(argv[4], NULL, 0);
  if (status != want) {
    fprintf(stderr, "minikernel: boot ended with status %ld, want %ld\n", (long)status, want);
    ok = 0;
  }
  for (int i = 5 + nfiles + 1; i < argc; i++) {
    if (!strstr(g_output, argv[i])) {
      fprintf(stderr, "minikernel: output lacks \"%s\"\n", argv[i]);
      ok = 0;
    }
  }
  if (!ok) fprintf(stderr, "---- guest console ----\n%s---- end ----\n", g_output);
  printf("minikernel: %s: boot %s (powerctl %d)\n", argv[3], ok ? "OK" : "FAILED", g_powerctl);
  return ok ? 0 : 1;
}
