// Self-relocation of a static PIE: without a dynamic linker the program applies its own
// R_X86_64_RELATIVE relocations before touching any pointer-valued data. This file must
// not itself use relocated data: it only reads _DYNAMIC and __ehdr_start, which are
// reached PC-relatively.
#include <zjvm/elf.h>

extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

// Returns 0 on success, -1 if the image has a relocation type it cannot apply.
int __zjvm_self_relocate(void) {
  uintptr_t base = (uintptr_t)&__ehdr_start;
  const Elf64_Rela* rela = 0;
  uint64_t relasz = 0;
  for (const Elf64_Dyn* d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
    if (d->d_tag == DT_RELA) rela = (const Elf64_Rela*)(base + d->d_val);
    if (d->d_tag == DT_RELASZ) relasz = d->d_val;
    if (d->d_tag == DT_REL) return -1;  // x86-64 uses RELA only
  }
  for (uint64_t i = 0; rela && i < relasz / sizeof(Elf64_Rela); i++) {
    if (ELF64_R_TYPE(rela[i].r_info) != R_X86_64_RELATIVE) return -1;
    *(uint64_t*)(base + rela[i].r_offset) = base + rela[i].r_addend;
  }
  return 0;
}
