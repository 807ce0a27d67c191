// userboot entry, called like any process (formats.md §A.6): %rdi = bootstrap channel,
// %rsi = vDSO base (the kernel maps the vDSO right after this image and passes its base).
// Reserve the globals block on the stack, point %r15 at it, run the C code.
#include "ub.h"
        .text
        .globl _start
        .hidden _start
        .type _start, @function
_start:
        xor %ebp, %ebp
        and $-16, %rsp
        sub $UB_GLOBALS_SIZE, %rsp
        mov %rsp, %r15
        call userboot_main
        ud2
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
