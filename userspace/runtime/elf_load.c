// Loading ELF images into another process's address space.
//
// Programs (static PIE, no PT_INTERP) are loaded from memory (a mapped BOOTFS file): each
// PT_LOAD gets its own VMO, filled with a copy of the file bytes (zero-filled beyond
// p_filesz), made executable if needed, and mapped at its vaddr inside one sub-VMAR
// sized for the whole image. Copying keeps the kernel requirements minimal (no COW
// children needed); images are small.
// The vDSO (a RODSO: file layout = memory layout, two read-only segments) is mapped
// straight from its VMO instead, as Zircon requires for the vDSO's code.
#include <string.h>
#include <zircon/syscalls.h>
#include <zjvm/elf.h>
#include <zjvm/runtime.h>

#define PAGE_SIZE 4096u
#define PAGE_DOWN(x) ((x) & ~(uint64_t)(PAGE_SIZE - 1))
#define PAGE_UP(x) PAGE_DOWN((x) + PAGE_SIZE - 1)
#define MAX_PHDRS 16u

static zx_status_t check_ehdr(const Elf64_Ehdr* eh) {
  if (memcmp(eh->e_ident, "\177ELF", 4) != 0 || eh->e_ident[4] != ELFCLASS64 ||
      eh->e_ident[5] != ELFDATA2LSB || eh->e_machine != EM_X86_64 ||
      eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > MAX_PHDRS) {
    return ZX_ERR_INVALID_ARGS;
  }
  // Only position-independent images: the loader picks the address.
  return eh->e_type == ET_DYN ? ZX_OK : ZX_ERR_NOT_SUPPORTED;
}

static uint32_t vm_perms(uint32_t pflags) {
  uint32_t perms = ZX_VM_PERM_READ;  // W or X without R is not mappable; ELF implies R.
  if (pflags & PF_W) perms |= ZX_VM_PERM_WRITE;
  if (pflags & PF_X) perms |= ZX_VM_PERM_EXECUTE;
  return perms;
}

// Span of all PT_LOADs, page-rounded; checks they are sorted and do not share pages.
static zx_status_t load_span(const Elf64_Phdr* ph, unsigned n, uint64_t* lo, uint64_t* hi) {
  *lo = UINT64_MAX;
  *hi = 0;
  for (unsigned i = 0; i < n; i++) {
    if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0) continue;
    if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr ||
        (ph[i].p_vaddr - ph[i].p_offset) % PAGE_SIZE != 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    uint64_t start = PAGE_DOWN(ph[i].p_vaddr);
    if (start < *hi) return ZX_ERR_INVALID_ARGS;  // overlaps the previous segment's pages
    if (*lo == UINT64_MAX) *lo = start;
    *hi = PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz);
  }
  return *hi ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

zx_status_t zjvm_elf_load(zx_handle_t vmar, const uint8_t* elf, size_t size, zx_vaddr_t* bias,
                          zx_vaddr_t* entry, size_t* stack_size) {
  Elf64_Ehdr eh;
  if (size < sizeof(eh)) return ZX_ERR_INVALID_ARGS;
  memcpy(&eh, elf, sizeof(eh));
  zx_status_t st = check_ehdr(&eh);
  if (st != ZX_OK) return st;
  if (eh.e_phoff > size || size - eh.e_phoff < eh.e_phnum * sizeof(Elf64_Phdr)) {
    return ZX_ERR_INVALID_ARGS;
  }
  Elf64_Phdr ph[MAX_PHDRS];
  memcpy(ph, elf + eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr));
  *stack_size = ZJVM_DEFAULT_STACK_SIZE;
  for (unsigned i = 0; i < eh.e_phnum; i++) {
    if (ph[i].p_type == PT_INTERP) return ZX_ERR_NOT_SUPPORTED;  // no dynamic linker here
    if (ph[i].p_type == PT_GNU_STACK && ph[i].p_memsz != 0) {
      *stack_size = PAGE_UP(ph[i].p_memsz);
    }
    if (ph[i].p_type == PT_LOAD &&
        (ph[i].p_offset > size || size - ph[i].p_offset < ph[i].p_filesz)) {
      return ZX_ERR_INVALID_ARGS;
    }
  }
  uint64_t lo, hi;
  st = load_span(ph, eh.e_phnum, &lo, &hi);
  if (st != ZX_OK) return st;

  zx_handle_t sub;
  zx_vaddr_t base;
  st = zx_vmar_allocate(vmar,
                        ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE |
                            ZX_VM_CAN_MAP_SPECIFIC,
                        0, hi - lo, &sub, &base);
  if (st != ZX_OK) return st;
  for (unsigned i = 0; i < eh.e_phnum && st == ZX_OK; i++) {
    if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0) continue;
    uint64_t start = PAGE_DOWN(ph[i].p_vaddr);
    uint64_t len = PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz) - start;
    zx_handle_t vmo;
    st = zx_vmo_create(len, 0, &vmo);
    if (st != ZX_OK) break;
    if (ph[i].p_filesz) {
      st = zx_vmo_write(vmo, elf + ph[i].p_offset, ph[i].p_vaddr - start, ph[i].p_filesz);
    }
    if (st == ZX_OK && (ph[i].p_flags & PF_X)) {
      st = zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &vmo);
      if (st != ZX_OK) vmo = ZX_HANDLE_INVALID;  // consumed even on failure
    }
    zx_vaddr_t mapped;
    if (st == ZX_OK) {
      st = zx_vmar_map(sub, ZX_VM_SPECIFIC | vm_perms(ph[i].p_flags), start - lo, vmo, 0, len,
                       &mapped);
    }
    if (vmo != ZX_HANDLE_INVALID) zx_handle_close(vmo);
  }
  if (st != ZX_OK) zx_vmar_destroy(sub);
  zx_handle_close(sub);
  if (st != ZX_OK) return st;
  *bias = base - lo;
  *entry = *bias + eh.e_entry;
  return ZX_OK;
}

zx_status_t zjvm_rodso_map(zx_handle_t vmar, zx_handle_t vmo, zx_vaddr_t* base) {
  Elf64_Ehdr eh;
  zx_status_t st = zx_vmo_read(vmo, &eh, 0, sizeof(eh));
  if (st != ZX_OK) return st;
  st = check_ehdr(&eh);
  if (st != ZX_OK) return st;
  Elf64_Phdr ph[MAX_PHDRS];
  st = zx_vmo_read(vmo, ph, eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr));
  if (st != ZX_OK) return st;
  for (unsigned i = 0; i < eh.e_phnum; i++) {
    if (ph[i].p_type != PT_LOAD) continue;
    // RODSO: every segment is its own file bytes, page-aligned, nothing to zero-fill.
    if (ph[i].p_offset != ph[i].p_vaddr || ph[i].p_offset % PAGE_SIZE != 0 ||
        ph[i].p_filesz != ph[i].p_memsz || (ph[i].p_flags & PF_W)) {
      return ZX_ERR_INVALID_ARGS;
    }
  }
  uint64_t lo, hi;
  st = load_span(ph, eh.e_phnum, &lo, &hi);
  if (st != ZX_OK) return st;
  if (lo != 0) return ZX_ERR_INVALID_ARGS;
  zx_handle_t sub;
  zx_vaddr_t addr;
  st = zx_vmar_allocate(vmar, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC,
                        0, hi, &sub, &addr);
  if (st != ZX_OK) return st;
  for (unsigned i = 0; i < eh.e_phnum && st == ZX_OK; i++) {
    if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0) continue;
    zx_vaddr_t mapped;
    st = zx_vmar_map(sub, ZX_VM_SPECIFIC | vm_perms(ph[i].p_flags), ph[i].p_vaddr, vmo,
                     ph[i].p_offset, PAGE_UP(ph[i].p_memsz), &mapped);
  }
  if (st != ZX_OK) zx_vmar_destroy(sub);
  zx_handle_close(sub);
  if (st == ZX_OK) *base = addr;
  return st;
}
