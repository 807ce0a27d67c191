// Program entry (formats.md §A.6): %rdi = bootstrap channel handle, %rsi = vDSO base,
// %rsp = 16-byte aligned minus 8. Realign, clear the frame pointer for unwinders, and
// call the C start-up code, which never returns.
        .text
        .globl _start
        .hidden _start
        .type _start, @function
_start:
        xor %ebp, %ebp
        and $-16, %rsp
        call __zjvm_start
        ud2
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
