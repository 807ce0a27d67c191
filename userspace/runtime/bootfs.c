// BOOTFS lookup (formats.md §C), with the checks userboot makes.
#include <string.h>
#include <zircon/syscalls.h>
#include <zircon/boot/bootfs.h>
#include <zircon/boot/image.h>
#include <zjvm/runtime.h>

zx_status_t zjvm_bootfs_init(zjvm_bootfs_t* fs, const void* base, size_t size) {
  zbi_bootfs_header_t hdr;
  if (size < sizeof(hdr)) return ZX_ERR_OUT_OF_RANGE;
  memcpy(&hdr, base, sizeof(hdr));
  if (hdr.magic != ZBI_BOOTFS_MAGIC || hdr.dirsize > size - sizeof(hdr)) {
    return ZX_ERR_IO;
  }
  fs->base = base;
  fs->size = size;
  return ZX_OK;
}

zx_status_t zjvm_bootfs_find(const zjvm_bootfs_t* fs, const char* prefix, const char* name,
                             const uint8_t** data, size_t* len) {
  zbi_bootfs_header_t hdr;
  memcpy(&hdr, fs->base, sizeof(hdr));
  size_t plen = prefix ? strlen(prefix) : 0;
  size_t nlen = strlen(name);
  const uint8_t* p = fs->base + sizeof(hdr);
  size_t avail = hdr.dirsize;
  while (avail > 12) {
    zbi_bootfs_dirent_t e;
    memcpy(&e, p, 12);
    if (e.name_len < 2 || e.name_len > ZBI_BOOTFS_MAX_NAME_LEN ||
        ZBI_BOOTFS_DIRENT_SIZE(e.name_len) > avail) {
      return ZX_ERR_IO;  // corrupt directory
    }
    const char* ename = (const char*)p + 12;
    if (e.name_len == plen + nlen + 1 && ename[e.name_len - 1] == '\0' &&
        memcmp(ename, prefix ? prefix : "", plen) == 0 &&
        memcmp(ename + plen, name, nlen) == 0) {
      if (e.data_off > fs->size || e.data_len > fs->size - e.data_off) return ZX_ERR_IO;
      *data = fs->base + e.data_off;
      *len = e.data_len;
      return ZX_OK;
    }
    p += ZBI_BOOTFS_DIRENT_SIZE(e.name_len);
    avail -= ZBI_BOOTFS_DIRENT_SIZE(e.name_len);
  }
  return ZX_ERR_NOT_FOUND;
}

zx_status_t zjvm_bootfs_map(zx_handle_t vmar, zx_handle_t vmo, zjvm_bootfs_t* fs) {
  uint64_t size;
  zx_status_t st = zx_vmo_get_size(vmo, &size);
  if (st != ZX_OK) return st;
  zx_vaddr_t addr;
  st = zx_vmar_map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, size, &addr);
  if (st != ZX_OK) return st;
  st = zjvm_bootfs_init(fs, (const void*)addr, size);
  if (st != ZX_OK) zx_vmar_unmap(vmar, addr, size);
  return st;
}
