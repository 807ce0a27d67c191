# vdso.mk - make fragment that builds our vDSO, $(VDSO_SO) = $(OUT)/libzircon-libos.so.
#
# Inputs (set before including, or on the command line):
#   GEN   directory written by the ABI generator:
#           java -cp zircon-syscall/target/classes dev.zjvm.syscall.abi.gen.AbiGen --out $(GEN)
#         (this fragment reads $(GEN)/include and $(GEN)/vdso; it does not run the generator)
#   OUT   output directory (the .so goes here; objects under $(BUILD)/vdso-obj, or $(OUT)/vdso-obj without BUILD)
#   CC    C compiler (gcc; default "cc")
# Provides:
#   VDSO_SO           path of the built vDSO
#   vdso              phony target building $(VDSO_SO)
#   vdso-clean        phony target removing what this fragment built
# Standalone use:  make -f userspace/vdso/vdso.mk GEN=... OUT=...   (default goal: vdso)
# Including this file does not change the includer's default goal.

VDSO_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)
VDSO_STANDALONE := $(filter 1,$(words $(MAKEFILE_LIST)))

VDSO_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
VDSO_GEN := $(GEN)
VDSO_OUT := $(OUT)
ifeq ($(strip $(VDSO_GEN)),)
$(error vdso.mk: set GEN to the AbiGen output directory)
endif
ifeq ($(strip $(VDSO_OUT)),)
$(error vdso.mk: set OUT to the output directory)
endif

VDSO_SO := $(VDSO_OUT)/libzircon-libos.so
# Intermediates go under $(BUILD) when the includer has one, so $(OUT) holds only outputs.
VDSO_OBJDIR := $(if $(BUILD),$(BUILD)/vdso-obj,$(VDSO_OUT)/vdso-obj)

# Generated stubs: the kernel entries, and one file per composite call (zCore numbers 200, 201),
# each with its own zcore_syscall_entry slot.
VDSO_GEN_SRCS := syscalls.S composite-200.S composite-201.S
VDSO_SRCS := $(notdir $(wildcard $(VDSO_DIR)/*.c $(VDSO_DIR)/*.S))
VDSO_OBJS := $(addprefix $(VDSO_OBJDIR)/gen-,$(VDSO_GEN_SRCS:.S=.o)) \
             $(addprefix $(VDSO_OBJDIR)/,$(patsubst %.S,%.o,$(VDSO_SRCS:.c=.o)))

VDSO_CPPFLAGS := -I$(VDSO_GEN)/include -I$(VDSO_GEN)/vdso -I$(VDSO_DIR) -MMD -MP
# Freestanding, position independent, nothing that needs a GOT, PLT, TLS or load-time fix-ups:
# no stack protector (%fs is the guest's), no switch/jump tables of pointers, and no loops turned
# into memcpy/memset calls.
VDSO_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -fPIC -ffreestanding -fvisibility=hidden \
  -fno-stack-protector -fno-common -fcf-protection=none -fno-jump-tables \
  -fno-tree-switch-conversion -fno-tree-loop-distribute-patterns -fasynchronous-unwind-tables
VDSO_ASFLAGS := -fPIC -Wa,--noexecstack
VDSO_LDFLAGS := -shared -nostdlib -Wl,-T,$(VDSO_DIR)/vdso.ld -Wl,-soname,libzircon.so \
  -Wl,--hash-style=gnu -Wl,--build-id=sha1 -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
  -Wl,-z,now -Wl,-z,norelro -Wl,--no-undefined -Wl,--eh-frame-hdr

.PHONY: vdso vdso-clean
vdso: $(VDSO_SO)

$(VDSO_SO): $(VDSO_OBJS) $(VDSO_DIR)/vdso.ld
	$(CC) $(VDSO_LDFLAGS) -o $@.tmp $(VDSO_OBJS)
	@# The loader relies on this layout: exactly two PT_LOADs (R, then R E), nothing writable,
	@# no relocations.
	@loads=$$(readelf -lW $@.tmp | awk '$$1 == "LOAD" { f = ""; for (i = 7; i < NF; i++) f = f $$i; printf "%s;", f }'); \
	if [ "$$loads" != "R;RE;" ]; then echo "vdso: PT_LOAD flags are '$$loads', want 'R;RE;'" >&2; rm -f $@.tmp; exit 1; fi; \
	if readelf -rW $@.tmp | grep -q 'R_X86_64'; then echo "vdso: has relocations" >&2; rm -f $@.tmp; exit 1; fi
	mv $@.tmp $@

$(VDSO_OBJDIR)/gen-%.o: $(VDSO_GEN)/vdso/%.S | $(VDSO_OBJDIR)
	$(CC) $(VDSO_CPPFLAGS) $(VDSO_ASFLAGS) -c -o $@ $<

$(VDSO_OBJDIR)/%.o: $(VDSO_DIR)/%.S | $(VDSO_OBJDIR)
	$(CC) $(VDSO_CPPFLAGS) $(VDSO_ASFLAGS) -c -o $@ $<

$(VDSO_OBJDIR)/%.o: $(VDSO_DIR)/%.c $(VDSO_GEN)/vdso/vdso-syscalls.h | $(VDSO_OBJDIR)
	$(CC) $(VDSO_CPPFLAGS) $(VDSO_CFLAGS) -c -o $@ $<

$(VDSO_OBJDIR):
	mkdir -p $@

vdso-clean:
	rm -rf $(VDSO_OBJDIR) $(VDSO_SO) $(VDSO_SO).tmp

-include $(VDSO_OBJS:.o=.d)

ifeq ($(VDSO_STANDALONE),)
.DEFAULT_GOAL := $(VDSO_SAVED_DEFAULT_GOAL)
endif
