package dev.zjvm.syscall.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.handle.Handle;
import dev.zjvm.object.handle.HandleTable;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.ipc.EventPair;
import dev.zjvm.syscall.dispatch.SyscallContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Table-driven checks of the generic syscall errors. Describe the call once (valid arguments,
 * which ones are handles with which rights, which are user pointers) and {@link #run()} checks:
 *
 * <ul>
 *   <li>the valid call returns the expected status (so the error checks below are not vacuous);
 *   <li>each handle argument: a stale value gives BAD_HANDLE; an object of another type gives
 *       WRONG_TYPE (unless any type is accepted); each missing required right gives ACCESS_DENIED;
 *   <li>each pointer argument: an unmapped address and NULL give INVALID_ARGS (NULL is skipped
 *       for optional outputs), for output pointers also a read-only one, and for pointers with
 *       a required alignment ({@link #aligned}) a misaligned one;
 * </ul>
 * and after every failing call that the process's handle count is what it was (no handle leaked
 * or lost), apart from handles the call consumes by contract ({@link #consumes}).
 *
 * <p>Handle suppliers are called afresh for every call, so consuming calls are fine. Calls that
 * block must be given arguments that do not (e.g. a past deadline).
 */
public final class ErrorChecks {
    private record HandleArg(int index, IntSupplier valid, int rights, boolean anyType) {}

    private record PointerArg(int index, boolean output, boolean optional, int alignment) {}

    private final SyscallHarness h;
    private final String name;
    private long[] template = new long[0];
    private final List<HandleArg> handles = new ArrayList<>();
    private final List<PointerArg> pointers = new ArrayList<>();
    private final boolean[] consumed = new boolean[8];
    private int validStatus = ZxStatus.OK;
    private Supplier<SyscallContext> caller;
    private int checks;

    private ErrorChecks(SyscallHarness h, String name) {
        this.h = h;
        this.name = name;
    }

    public static ErrorChecks of(SyscallHarness h, String name) {
        return new ErrorChecks(h, name);
    }

    /** Valid values for the plain arguments (handle and pointer positions are filled in). */
    public ErrorChecks args(long... values) {
        template = Arrays.copyOf(values, 8);
        return this;
    }

    /** Argument {@code index} is a handle of the supplied handle's type that needs {@code rights}. */
    public ErrorChecks handle(int index, IntSupplier validHandle, int rights) {
        handles.add(new HandleArg(index, validHandle, rights, false));
        return this;
    }

    /** Argument {@code index} is a handle of any type that needs {@code rights}. */
    public ErrorChecks anyHandle(int index, IntSupplier validHandle, int rights) {
        handles.add(new HandleArg(index, validHandle, rights, true));
        return this;
    }

    /** Argument {@code index} is a user pointer the call reads (template holds a valid one). */
    public ErrorChecks in(int index) {
        pointers.add(new PointerArg(index, false, false, 1));
        return this;
    }

    /** Argument {@code index} is a user pointer the call writes (a fresh valid one is used if 0). */
    public ErrorChecks out(int index) {
        pointers.add(new PointerArg(index, true, false, 1));
        return this;
    }

    /** Like {@link #out} for a "may be NULL" output: NULL is not an error. */
    public ErrorChecks optionalOut(int index) {
        pointers.add(new PointerArg(index, true, true, 1));
        return this;
    }

    /**
     * Argument {@code index} is a pointer the spec requires to be {@code alignment}-aligned (e.g.
     * a futex word): besides the {@link #in} checks, the valid pointer plus 1 must give INVALID_ARGS.
     */
    public ErrorChecks aligned(int index, int alignment) {
        pointers.add(new PointerArg(index, false, false, alignment));
        return this;
    }

    /** The handle at {@code index} leaves the caller even when the call fails (if it was valid). */
    public ErrorChecks consumes(int index) {
        consumed[index] = true;
        return this;
    }

    /** Status of the valid call (default OK). */
    public ErrorChecks validStatus(int status) {
        validStatus = status;
        return this;
    }

    /**
     * Makes every call as a fresh caller from {@code caller} (default: the harness's main thread),
     * for calls that end their caller, such as a composite that exits the thread.
     */
    public ErrorChecks caller(Supplier<SyscallContext> caller) {
        this.caller = caller;
        return this;
    }

    /** Runs every check; returns how many calls were checked. */
    public int run() {
        check("valid call", validArgs(), validStatus, -1);
        for (HandleArg a : handles) {
            long[] args = validArgs();
            int stale = a.valid().getAsInt();
            h.process.handleTable().close(stale);
            args[a.index()] = Integer.toUnsignedLong(stale);
            check("stale handle in arg " + a.index(), args, ZxStatus.ERR_BAD_HANDLE, a.index());

            if (!a.anyType()) {
                args = validArgs();
                KernelObject sample = h.object(args[a.index()], KernelObject.class);
                h.process.handleTable().close((int) args[a.index()]);
                KernelObject other = sample instanceof Event ? EventPair.create(h.kernel)[0] : new Event(h.kernel);
                args[a.index()] = h.install(other, 0x7fffffff); // every right: only the type is wrong
                check("wrong type in arg " + a.index(), args, ZxStatus.ERR_WRONG_TYPE, -1);
            }
            for (int bit = 0; bit < 31; bit++) {
                int right = 1 << bit;
                if ((a.rights() & right) == 0) continue;
                args = validArgs();
                HandleTable table = h.process.handleTable();
                Handle valid = table.remove((int) args[a.index()]);
                args[a.index()] = Integer.toUnsignedLong(table.add(Handle.create(valid.object(), valid.rights() & ~right)));
                valid.destroy();
                check("arg " + a.index() + " without right 0x" + Integer.toHexString(right), args,
                        ZxStatus.ERR_ACCESS_DENIED, -1);
            }
        }
        for (PointerArg p : pointers) {
            long[] args = validArgs();
            args[p.index()] = SyscallHarness.UNMAPPED;
            check("unmapped pointer in arg " + p.index(), args, ZxStatus.ERR_INVALID_ARGS, -1);
            if (!p.optional()) {
                args = validArgs();
                args[p.index()] = 0;
                check("NULL pointer in arg " + p.index(), args, ZxStatus.ERR_INVALID_ARGS, -1);
            }
            if (p.alignment() > 1) {
                args = validArgs();
                args[p.index()] += 1;
                check("misaligned pointer in arg " + p.index(), args, ZxStatus.ERR_INVALID_ARGS, -1);
            }
            if (p.output()) {
                args = validArgs();
                args[p.index()] = SyscallHarness.READ_ONLY;
                check("read-only pointer in arg " + p.index(), args, ZxStatus.ERR_INVALID_ARGS, -1);
            }
        }
        return checks;
    }

    private long[] validArgs() {
        long[] args = Arrays.copyOf(template, 8);
        for (HandleArg a : handles) args[a.index()] = Integer.toUnsignedLong(a.valid().getAsInt());
        for (PointerArg p : pointers) if (p.output() && args[p.index()] == 0) args[p.index()] = h.alloc(64);
        return args;
    }

    /** @param badIndex handle arg that is invalid in this call (so the call cannot consume it) */
    private void check(String what, long[] args, int expected, int badIndex) {
        int consumable = 0;
        for (HandleArg a : handles) {
            if (consumed[a.index()] && a.index() != badIndex) consumable++;
        }
        int before = h.process.handleTable().count();
        long result = h.callNumber(caller == null ? h.ctx : caller.get(), SyscallHarness.number(name), args);
        checks++;
        assertEquals(ZxStatus.name(expected), ZxStatus.name((int) result), name + ": " + what);
        if (expected == ZxStatus.OK) return; // success paths change state by design
        int after = h.process.handleTable().count();
        // Consumed-by-contract handles may or may not be gone, depending on where the call failed.
        if (after > before || before - after > consumable) {
            assertEquals(before, after, name + ": " + what + " changed the handle table");
        }
    }
}
