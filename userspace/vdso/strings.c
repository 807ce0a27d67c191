// Names of status codes and exception types; the lists are generated from constants.def.
#include "vdso-private.h"
#include "vdso-strings.h"

const char* VDSO_zx_status_get_string(zx_status_t status) {
  switch (status) {
#define VDSO_CASE(name) \
  case name:            \
    return #name;
    VDSO_STATUS_NAMES(VDSO_CASE)
#undef VDSO_CASE
    default:
      return "(UNKNOWN)";
  }
}
VDSO_EXPORT(zx_status_get_string)

const char* VDSO_zx_exception_get_string(zx_excp_type_t exception) {
  switch (exception) {
#define VDSO_CASE(name) \
  case name:            \
    return #name;
    VDSO_EXCEPTION_NAMES(VDSO_CASE)
#undef VDSO_CASE
    default:
      return "(UNKNOWN)";
  }
}
VDSO_EXPORT(zx_exception_get_string)
