// Process exit for guest programs (runtime). exit() calls zx_process_exit().
#ifndef ZJVM_STDLIB_H_
#define ZJVM_STDLIB_H_
#include <stddef.h>
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void abort(void);
#endif
