// printf for guest programs: a small formatter plus an output path to the debug log.
// Each line goes out as its own debuglog record, newline included.
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls.h>
#include <zjvm/runtime.h>

typedef struct {
  char* buf;
  size_t cap;  // including room for the NUL
  size_t len;  // characters produced so far (may exceed cap)
} sink_t;

static void put(sink_t* s, char c) {
  if (s->len + 1 < s->cap) s->buf[s->len] = c;
  s->len++;
}

static void put_padded(sink_t* s, const char* text, size_t n, int width, bool left, char pad) {
  int fill = width > (int)n ? width - (int)n : 0;
  if (!left) {
    // Zero padding goes after a sign.
    if (pad == '0' && n > 0 && (text[0] == '-')) {
      put(s, '-');
      text++;
      n--;
    }
    while (fill-- > 0) put(s, pad);
  }
  for (size_t i = 0; i < n; i++) put(s, text[i]);
  if (left) {
    while (fill-- > 0) put(s, ' ');
  }
}

static size_t utoa(char* out, uint64_t v, unsigned base, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v);
  for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  return n;
}

int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap) {
  sink_t s = {buf, size, 0};
  for (const char* p = fmt; *p; p++) {
    if (*p != '%') {
      put(&s, *p);
      continue;
    }
    p++;
    bool left = false;
    char pad = ' ';
    for (;; p++) {
      if (*p == '-') left = true;
      else if (*p == '0') pad = '0';
      else break;
    }
    int width = 0;
    if (*p == '*') {
      width = va_arg(ap, int);
      if (width < 0) {
        left = true;
        width = -width;
      }
      p++;
    } else {
      while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    }
    int prec = -1;
    if (*p == '.') {
      p++;
      prec = 0;
      if (*p == '*') {
        prec = va_arg(ap, int);
        p++;
      } else {
        while (*p >= '0' && *p <= '9') prec = prec * 10 + (*p++ - '0');
      }
    }
    int lng = 0;  // 0 int, 1 long, 2 long long / size_t / intmax
    for (;; p++) {
      if (*p == 'l') lng++;
      else if (*p == 'z' || *p == 'j' || *p == 't') lng = 2;
      else if (*p == 'h') continue;
      else break;
    }
    char num[32];
    switch (*p) {
      case 'd':
      case 'i': {
        int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
        size_t n = 0;
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        if (v < 0) num[n++] = '-';
        n += utoa(num + n, mag, 10, false);
        put_padded(&s, num, n, width, left, pad);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
        unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
        size_t n = utoa(num, v, base, *p == 'X');
        if (prec > (int)n && prec < (int)sizeof(num)) {
          memmove(num + (prec - n), num, n);
          memset(num, '0', prec - n);
          n = prec;
        }
        put_padded(&s, num, n, width, left, pad);
        break;
      }
      case 'p': {
        uintptr_t v = (uintptr_t)va_arg(ap, void*);
        num[0] = '0';
        num[1] = 'x';
        size_t n = 2 + utoa(num + 2, v, 16, false);
        put_padded(&s, num, n, width, left, ' ');
        break;
      }
      case 'c': {
        char c = (char)va_arg(ap, int);
        put_padded(&s, &c, 1, width, left, ' ');
        break;
      }
      case 's': {
        const char* str = va_arg(ap, const char*);
        if (!str) str = "(null)";
        size_t n = prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str);
        put_padded(&s, str, n, width, left, ' ');
        break;
      }
      case '%':
        put(&s, '%');
        break;
      case '\0':
        p--;
        break;
      default:
        // Unknown conversion: show it verbatim so the mistake is visible.
        put(&s, '%');
        put(&s, *p);
        break;
    }
  }
  if (size) buf[s.len < size ? s.len : size - 1] = '\0';
  return (int)s.len;
}

int snprintf(char* buf, size_t size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

// A debuglog record holds at most 224 data bytes; longer lines are split.
#define LOG_RECORD_DATA_MAX 224u

void zjvm_log_write(const char* text, size_t len) {
  zx_handle_t log = zjvm_log_handle();
  while (len) {
    size_t line = 0;
    while (line < len && text[line] != '\n') line++;
    size_t consumed = line < len ? line + 1 : line;  // with its newline, like userboot's
    if (log != ZX_HANDLE_INVALID) {
      // One record per line (the real userboot's records end in '\n' too); a line
      // longer than a record continues in the next one.
      for (size_t off = 0; off < consumed;) {
        size_t chunk = consumed - off > LOG_RECORD_DATA_MAX ? LOG_RECORD_DATA_MAX : consumed - off;
        if (zx_debuglog_write(log, 0, text + off, chunk) != ZX_OK) {
          zx_debug_write(text + off, chunk);  // keep the text even if the log refuses it
        }
        off += chunk;
      }
    } else {
      zx_debug_write(text, consumed);
    }
    text += consumed;
    len -= consumed;
  }
}

int vprintf(const char* fmt, va_list ap) {
  char buf[512];
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(buf, sizeof(buf), fmt, copy);
  va_end(copy);
  if (n < 0) return n;
  size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
  zjvm_log_write(buf, len);
  return n;
}

int printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

int puts(const char* s) { return printf("%s\n", s); }
