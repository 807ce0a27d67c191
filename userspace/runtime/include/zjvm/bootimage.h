// ZBI container and BOOTFS layouts (formats.md §B, §C), our own definitions with the
// standard Fuchsia names.
#ifndef ZJVM_BOOTIMAGE_H_
#define ZJVM_BOOTIMAGE_H_
#include <stdint.h>

typedef struct {
  uint32_t type;
  uint32_t length;
  uint32_t extra;
  uint32_t flags;
  uint32_t reserved0;
  uint32_t reserved1;
  uint32_t magic;
  uint32_t crc32;
} zbi_header_t;

#define ZBI_ALIGNMENT 8u
#define ZBI_ALIGN(n) (((n) + ZBI_ALIGNMENT - 1) & ~(ZBI_ALIGNMENT - 1))
#define ZBI_TYPE_CONTAINER 0x544f4f42u
#define ZBI_TYPE_STORAGE_BOOTFS 0x42534642u
#define ZBI_TYPE_DISCARD 0x50494b53u
#define ZBI_TYPE_CMDLINE 0x4c444d43u
#define ZBI_CONTAINER_MAGIC 0x868cf7e6u
#define ZBI_ITEM_MAGIC 0xb5781729u
#define ZBI_FLAG_VERSION 0x00010000u
#define ZBI_FLAG_CRC32 0x00020000u
#define ZBI_FLAG_STORAGE_COMPRESSED 0x00000001u

typedef struct {
  uint32_t magic;
  uint32_t dirsize;
  uint32_t reserved0;
  uint32_t reserved1;
} zbi_bootfs_header_t;

typedef struct {
  uint32_t name_len;
  uint32_t data_len;
  uint32_t data_off;
  char name[];
} zbi_bootfs_dirent_t;

#define ZBI_BOOTFS_MAGIC 0xa56d3ff9u
#define ZBI_BOOTFS_MAX_NAME_LEN 256u
#define ZBI_BOOTFS_PAGE_SIZE 4096u
#define ZBI_BOOTFS_DIRENT_SIZE(name_len) ((12u + (name_len) + 3u) & ~3u)

#endif
