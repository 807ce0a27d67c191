/**
 * The Zircon syscall ABI as data: {@link dev.zjvm.syscall.abi.SyscallTable} (every vDSO entry of
 * syscalls.def with kernel number, signature, handle/rights requirements and attributes) and
 * {@link dev.zjvm.syscall.abi.AbiConstants} (constants.def: types, constants, struct layouts).
 * Both definition files live beside these classes as resources; the C headers and vDSO stubs are
 * generated from them by {@link dev.zjvm.syscall.abi.gen.AbiGen}, and tests fail when the built
 * vDSO, the spec and the table drift apart.
 */
package dev.zjvm.syscall.abi;
