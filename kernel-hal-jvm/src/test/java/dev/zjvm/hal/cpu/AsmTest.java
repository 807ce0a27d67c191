package dev.zjvm.hal.cpu;

import dev.zjvm.hal.host.HostMemory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Cross-checks emitted encodings against GNU objdump when it is installed. */
class AsmTest {

    @Test
    void knownEncodings() {
        Asm a = new Asm();
        a.rdfsbase(Asm.RAX);        // f3 48 0f ae c0
        a.wrgsbase(Asm.RDI);        // f3 48 0f ae df
        a.movGsStore(ContextLayout.guestReg(Asm.R15), Asm.R15);   // 65 4c 89 3c 25 38 01 00 00
        a.jmpGsMem(ContextLayout.G_RIP);                           // 65 ff 24 25 40 01 00 00
        assertArrayEquals(new byte[] {(byte) 0xf3, 0x48, 0x0f, (byte) 0xae, (byte) 0xc0,
                (byte) 0xf3, 0x48, 0x0f, (byte) 0xae, (byte) 0xdf,
                0x65, 0x4c, (byte) 0x89, 0x3c, 0x25, 0x38, 0x01, 0x00, 0x00,
                0x65, (byte) 0xff, 0x24, 0x25, 0x40, 0x01, 0x00, 0x00}, a.finish());
    }

    @Test
    void theTrampolinesDisassembleCleanly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/objdump")));
        for (FsGsMode mode : FsGsMode.values()) {
            if (!mode.supported()) continue;
            Trampoline t = Trampoline.of(mode);
            byte[] code = HostMemory.segment(t.base, t.size).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            Path bin = Files.createTempFile("trampoline-" + mode, ".bin");
            try {
                Files.write(bin, code);
                Process p = new ProcessBuilder("/usr/bin/objdump", "-D", "-b", "binary", "-mi386:x86-64", bin.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertTrue(p.waitFor(1, TimeUnit.MINUTES));
                assertFalse(out.contains("(bad)"), out);
                for (String m : new String[] {"ldmxcsr", "fldcw", "jmp    *%gs:0x140", "pushf", "xrstor"})
                    assertTrue(out.contains(m), mode + ": " + m + " missing in\n" + out);
                assertTrue(out.contains(mode == FsGsMode.FSGSBASE ? "wrfsbase" : "syscall"), out);
            } finally {
                Files.deleteIfExists(bin);
            }
        }
    }
}
