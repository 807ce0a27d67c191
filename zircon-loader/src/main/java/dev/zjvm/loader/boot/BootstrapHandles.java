package dev.zjvm.loader.boot;

/**
 * Order and rights of the handles in userboot's bootstrap message (formats.md §D.1, the mid-2020
 * layout zCore's prebuilt userboot expects). userboot refuses a message with any other count.
 */
final class BootstrapHandles {
    static final int PROC_SELF = 0;
    static final int VMAR_ROOT_SELF = 1;
    static final int ROOT_JOB = 2;
    static final int ROOT_RESOURCE = 3;
    static final int ZBI = 4;
    static final int FIRST_VDSO = 5;
    static final int VDSO_COUNT = 3;
    static final int CRASHLOG = 8;
    static final int COUNTER_NAMES = 9;
    static final int COUNTERS = 10;
    static final int FIRST_INSTRUMENTATION = 11;
    static final int COUNT = 15;

    /** VMAR rights of userboot's root VMAR: BASIC without WAIT, plus READ, WRITE, EXECUTE. */
    static final int VMAR_RIGHTS = 0x801f;
    /** vDSO VMOs: VMO defaults without WRITE, plus EXECUTE. */
    static final int VDSO_RIGHTS = 0xd0f7;
    /** Read-only kernel VMOs (crashlog, counters): VMO defaults without WRITE. */
    static final int READ_ONLY_VMO_RIGHTS = 0xd0e7;

    static final String[] VDSO_NAMES = {"vdso/full", "vdso/test1", "vdso/test2"};
    static final String[] INSTRUMENTATION_NAMES = {
        "data/zircon.elf.profdata", "data/zircon.elf.1.sancov", "data/zircon.elf.1.sancov-counts", "data/symbolizer.log"};

    private BootstrapHandles() {}
}
