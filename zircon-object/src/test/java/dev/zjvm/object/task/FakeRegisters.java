package dev.zjvm.object.task;

/** A register file in plain fields, as a launcher's UserContext adapter would be. */
final class FakeRegisters implements ThreadRegisters {
    private GeneralRegs regs = new GeneralRegs(1, 2, 3, 4, 5, 6, 7, 0x7000, 8, 9, 10, 11, 12, 13, 14, 15, 0x1000,
            0x202, 0x5000, 0);
    int writes;

    @Override
    public synchronized GeneralRegs readGeneral() {
        return regs;
    }

    @Override
    public synchronized void writeGeneral(GeneralRegs r) {
        regs = r;
        writes++;
    }
}
