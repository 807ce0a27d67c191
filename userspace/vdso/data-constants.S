// DATA_CONSTANTS: the vdso_constants block (formats.md E.4), 0x78 bytes in the read-only segment,
// pre-filled with 0xdeadbeef words and overwritten by the loader in the vDSO VMO before any
// process starts. As in the real vDSO, DATA_CONSTANTS is a LOCAL, HIDDEN object in .symtab (that
// is what the loader looks up); the C code reaches the same bytes through the hidden global
// vdso_data_constants (see vdso-private.h). The drift test checks the size against
// vdso_constants_t from constants.def.
    .section .rodata.vdso_constants,"a",@progbits
    .balign 8
    .hidden DATA_CONSTANTS
    .type DATA_CONSTANTS, @object
    .size DATA_CONSTANTS, 0x78
DATA_CONSTANTS:
    .globl vdso_data_constants
    .hidden vdso_data_constants
    .type vdso_data_constants, @object
    .size vdso_data_constants, 0x78
vdso_data_constants:
    .fill 0x78 / 4, 4, 0xdeadbeef

    .section .note.GNU-stack,"",@progbits
