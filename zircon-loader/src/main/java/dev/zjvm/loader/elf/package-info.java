/**
 * ELF64 x86-64 reading: {@link dev.zjvm.loader.elf.ElfFile} parses and validates an image
 * (headers, sections, .symtab/.dynsym, PT_DYNAMIC) and {@link dev.zjvm.loader.elf.LoadPlan}
 * says how to map a position-independent one (page-aligned pieces, RELRO, span, stack size).
 */
package dev.zjvm.loader.elf;
