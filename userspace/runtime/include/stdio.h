// printf-family of the guest runtime (runtime/printf.c). Output goes to the debug log:
// zx_debuglog_write on the process's log handle, else zx_debug_write. Each printf call
// emits its text line by line (one log record per line).
#ifndef ZJVM_STDIO_H_
#define ZJVM_STDIO_H_
#include <stdarg.h>
#include <stddef.h>
// Supported conversions: %d %i %u %x %X %o %c %s %p %% with flags '-', '0', width,
// precision (for %s and integers) and length modifiers l, ll, z, h, hh, j, t.
int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char* fmt, va_list ap);
int snprintf(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);
int puts(const char* s);
#endif
