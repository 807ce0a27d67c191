package dev.zjvm.loader.boot;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.Kernel;
import dev.zjvm.object.boot.Display;
import dev.zjvm.object.vm.Vmo;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramebufferPngTest {
    private final Kernel kernel = Kernel.forTesting(9);

    @Test
    void rgbX888WithAStrideWiderThanThePicture() throws Exception {
        Vmo vmo = Vmo.create(kernel, 4096, 0);
        // 2x2 picture, stride 4 pixels: (0,0) red, (1,0) green, (0,1) blue, (1,1) white; padding is garbage.
        int[][] px = {{0x00ff0000, 0x0000ff00, 0x12345678, 0x12345678}, {0x000000ff, 0x00ffffff, 0x7f7f7f7f, 0x7f7f7f7f}};
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                int v = px[y][x];
                vmo.write((y * 4L + x) * 4, new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
            }
        }
        BufferedImage img = FramebufferPng.image(new Display.Framebuffer(vmo, FramebufferPng.RGB_X888, 2, 2, 4));
        assertEquals(2, img.getWidth());
        assertEquals(0xffff0000, img.getRGB(0, 0));
        assertEquals(0xff00ff00, img.getRGB(1, 0));
        assertEquals(0xff0000ff, img.getRGB(0, 1));
        assertEquals(0xffffffff, img.getRGB(1, 1));
    }

    @Test
    void rgb565AndGray() {
        Vmo vmo = Vmo.create(kernel, 4096, 0);
        vmo.write(0, new byte[] {(byte) 0x00, (byte) 0xf8, (byte) 0xe0, (byte) 0x07}); // red, green
        BufferedImage img = FramebufferPng.image(new Display.Framebuffer(vmo, FramebufferPng.RGB_565, 2, 1, 2));
        assertEquals(0xffff0000, img.getRGB(0, 0));
        assertEquals(0xff00ff00, img.getRGB(1, 0));
        vmo.write(0, new byte[] {(byte) 0x80});
        assertEquals(0xff808080, FramebufferPng.image(new Display.Framebuffer(vmo, FramebufferPng.GRAY_8, 1, 1, 1)).getRGB(0, 0));
    }

    @Test
    void geometryIsCheckedAgainstTheVmo() {
        Vmo vmo = Vmo.create(kernel, 4096, 0);
        assertThrows(IllegalArgumentException.class,
                () -> FramebufferPng.image(new Display.Framebuffer(vmo, FramebufferPng.ARGB_8888, 64, 64, 64)), "16 KiB > 4 KiB");
        assertThrows(IllegalArgumentException.class,
                () -> FramebufferPng.image(new Display.Framebuffer(vmo, FramebufferPng.ARGB_8888, 8, 8, 4)), "stride < width");
        assertThrows(IllegalArgumentException.class,
                () -> FramebufferPng.image(new Display.Framebuffer(vmo, FramebufferPng.ARGB_8888, -1, 8, 8)));
        assertThrows(IllegalArgumentException.class,
                () -> FramebufferPng.image(new Display.Framebuffer(vmo, 0x00000006, 8, 8, 8)), "MONO_1 is not supported");
        assertEquals(32, FramebufferPng.image(new Display.Framebuffer(vmo, FramebufferPng.ARGB_8888, 32, 32, 32)).getWidth(),
                "exactly the VMO's size fits");
    }

    @Test
    void writesAReadablePng(@TempDir Path dir) throws Exception {
        Vmo vmo = Vmo.create(kernel, 4096, 0);
        vmo.write(0, new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        Path out = dir.resolve("fb.png");
        FramebufferPng.write(new Display.Framebuffer(vmo, FramebufferPng.ARGB_8888, 3, 2, 3), out);
        BufferedImage back = ImageIO.read(out.toFile());
        assertEquals(3, back.getWidth());
        assertEquals(2, back.getHeight());
        assertEquals(0xffff0000, back.getRGB(0, 0));
    }
}
