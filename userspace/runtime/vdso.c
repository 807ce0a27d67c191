// Resolving zx_* functions from the vDSO mapped in our address space (formats.md §E.5).
// The vDSO is a RODSO: no relocations, so its dynamic-section addresses are offsets from
// its load base. Symbol lookup uses DT_GNU_HASH (the only hash table the real vDSO has),
// with DT_HASH as a fallback for other images.
#include <stdbool.h>
#include <string.h>
#include <zircon/syscalls.h>
#include <zjvm/elf.h>
#include <zjvm/runtime.h>

// Provided by the stub file generated for each image (scripts/gen-stubs.sh).
extern const char zjvm_stub_names[];

typedef struct {
  const Elf64_Sym* symtab;
  const char* strtab;
  const uint32_t* gnu_hash;
  const uint32_t* sysv_hash;
} dynamic_t;

static bool read_dynamic(uintptr_t base, dynamic_t* d) {
  const Elf64_Ehdr* eh = (const Elf64_Ehdr*)base;
  if (memcmp(eh->e_ident, "\177ELF", 4) != 0 || eh->e_phentsize != sizeof(Elf64_Phdr)) {
    return false;
  }
  const Elf64_Phdr* ph = (const Elf64_Phdr*)(base + eh->e_phoff);
  const Elf64_Dyn* dyn = NULL;
  for (unsigned i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_DYNAMIC) dyn = (const Elf64_Dyn*)(base + ph[i].p_vaddr);
  }
  if (!dyn) return false;
  memset(d, 0, sizeof(*d));
  for (; dyn->d_tag != DT_NULL; dyn++) {
    switch (dyn->d_tag) {
      case DT_SYMTAB: d->symtab = (const Elf64_Sym*)(base + dyn->d_val); break;
      case DT_STRTAB: d->strtab = (const char*)(base + dyn->d_val); break;
      case DT_GNU_HASH: d->gnu_hash = (const uint32_t*)(base + dyn->d_val); break;
      case DT_HASH: d->sysv_hash = (const uint32_t*)(base + dyn->d_val); break;
      default: break;
    }
  }
  return d->symtab && d->strtab && (d->gnu_hash || d->sysv_hash);
}

static bool usable(const dynamic_t* d, uint32_t i, const char* name) {
  const Elf64_Sym* s = &d->symtab[i];
  return s->st_shndx != SHN_UNDEF && ELF64_ST_BIND(s->st_info) != STB_LOCAL &&
         strcmp(d->strtab + s->st_name, name) == 0;
}

static const Elf64_Sym* find(const dynamic_t* d, const char* name) {
  if (d->gnu_hash) {
    uint32_t h = 5381;
    for (const unsigned char* p = (const unsigned char*)name; *p; p++) h = h * 33 + *p;
    uint32_t nbuckets = d->gnu_hash[0], symoffset = d->gnu_hash[1], bloom_size = d->gnu_hash[2];
    if (nbuckets == 0) return NULL;
    const uint32_t* buckets = d->gnu_hash + 4 + bloom_size * 2;  // bloom words are 64-bit
    const uint32_t* chain = buckets + nbuckets;
    uint32_t i = buckets[h % nbuckets];
    if (i < symoffset) return NULL;
    for (;; i++) {
      uint32_t ch = chain[i - symoffset];
      if ((ch | 1) == (h | 1) && usable(d, i, name)) return &d->symtab[i];
      if (ch & 1) return NULL;
    }
  }
  uint32_t h = 0;
  for (const unsigned char* p = (const unsigned char*)name; *p; p++) {
    h = (h << 4) + *p;
    uint32_t g = h & 0xf0000000u;
    if (g) h ^= g >> 24;
    h &= ~g;
  }
  uint32_t nbucket = d->sysv_hash[0];
  const uint32_t* bucket = d->sysv_hash + 2;
  const uint32_t* chain = bucket + nbucket;
  for (uint32_t i = bucket[h % nbucket]; i; i = chain[i]) {
    if (usable(d, i, name)) return &d->symtab[i];
  }
  return NULL;
}

uintptr_t zjvm_vdso_lookup(uintptr_t base, const char* name) {
  dynamic_t d;
  if (!base || !read_dynamic(base, &d)) return 0;
  const Elf64_Sym* s = find(&d, name);
  return s ? base + s->st_value : 0;
}

// Looks up `name` preferring the strong `_zx_foo` over its weak alias `zx_foo`.
static uintptr_t lookup_either(const dynamic_t* d, uintptr_t base, const char* name) {
  char alt[80];
  size_t n = strlen(name);
  if (n + 2 > sizeof(alt)) return 0;
  const char* first = name;
  const char* second = NULL;
  if (name[0] == '_') {
    second = name + 1;
  } else {
    alt[0] = '_';
    memcpy(alt + 1, name, n + 1);
    first = alt;
    second = name;
  }
  const Elf64_Sym* s = find(d, first);
  if (!s && second) s = find(d, second);
  return s ? base + s->st_value : 0;
}

// Target of every slot whose name the vDSO does not export. Its callers expect a
// zx_status_t (or something they can test); NOT_SUPPORTED is the honest answer.
static long missing_syscall(void) { return ZX_ERR_NOT_SUPPORTED; }

size_t zjvm_vdso_bind(uintptr_t base, void** slots, size_t nslots) {
  dynamic_t d;
  bool ok = base && read_dynamic(base, &d);
  size_t missing = 0;
  const char* name = zjvm_stub_names;
  for (size_t i = 0; i < nslots && i < zjvm_stub_count; i++) {
    uintptr_t addr = ok ? lookup_either(&d, base, name) : 0;
    if (!addr) {
      addr = (uintptr_t)&missing_syscall;
      missing++;
    }
    slots[i] = (void*)addr;
    name += strlen(name) + 1;
  }
  return missing;
}

const char* zjvm_vdso_first_missing(uintptr_t base) {
  dynamic_t d;
  bool ok = base && read_dynamic(base, &d);
  const char* name = zjvm_stub_names;
  for (size_t i = 0; i < zjvm_stub_count; i++) {
    if (!ok || !lookup_either(&d, base, name)) return name;
    name += strlen(name) + 1;
  }
  return NULL;
}
