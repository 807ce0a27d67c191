// Minimal ELF64 definitions (x86-64) for the guest-side loaders; we build with -nostdinc,
// so the host's <elf.h> is not available (and must not be: guest code is freestanding).
#ifndef ZJVM_ELF_H_
#define ZJVM_ELF_H_
#include <stdint.h>

typedef struct {
  unsigned char e_ident[16];
  uint16_t e_type;
  uint16_t e_machine;
  uint32_t e_version;
  uint64_t e_entry;
  uint64_t e_phoff;
  uint64_t e_shoff;
  uint32_t e_flags;
  uint16_t e_ehsize;
  uint16_t e_phentsize;
  uint16_t e_phnum;
  uint16_t e_shentsize;
  uint16_t e_shnum;
  uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
  uint32_t p_type;
  uint32_t p_flags;
  uint64_t p_offset;
  uint64_t p_vaddr;
  uint64_t p_paddr;
  uint64_t p_filesz;
  uint64_t p_memsz;
  uint64_t p_align;
} Elf64_Phdr;

typedef struct {
  int64_t d_tag;
  uint64_t d_val;
} Elf64_Dyn;

typedef struct {
  uint32_t st_name;
  unsigned char st_info;
  unsigned char st_other;
  uint16_t st_shndx;
  uint64_t st_value;
  uint64_t st_size;
} Elf64_Sym;

typedef struct {
  uint64_t r_offset;
  uint64_t r_info;
  int64_t r_addend;
} Elf64_Rela;

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define ELFCLASS64 2
#define ELFDATA2LSB 1

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_GNU_STACK 0x6474e551

#define PF_X 1
#define PF_W 2
#define PF_R 4

#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_STRSZ 10
#define DT_SYMENT 11
#define DT_REL 17
#define DT_RELCOUNT 0x6ffffffa
#define DT_RELACOUNT 0x6ffffff9
#define DT_GNU_HASH 0x6ffffef5

#define STB_LOCAL 0
#define STT_FUNC 2
#define SHN_UNDEF 0
#define ELF64_ST_BIND(i) ((i) >> 4)
#define ELF64_ST_TYPE(i) ((i)&0xf)
#define ELF64_R_TYPE(i) ((uint32_t)(i))
#define R_X86_64_RELATIVE 8

#endif
