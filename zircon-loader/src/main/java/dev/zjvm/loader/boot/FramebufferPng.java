package dev.zjvm.loader.boot;

import dev.zjvm.object.boot.Display;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Saves the framebuffer a guest display driver registered ({@code zx_framebuffer_set_range}) as a
 * PNG, so a researcher can see what it drew. Understands the 2020 pixel formats RGB_565,
 * ARGB_8888, RGB_x888 and GRAY_8; the stride is in pixels. The geometry is the driver's word, so
 * it is checked against the VMO before anything is read.
 */
public final class FramebufferPng {
    public static final int RGB_565 = 0x00020001;
    public static final int ARGB_8888 = 0x00040004;
    public static final int RGB_X888 = 0x00040005;
    public static final int GRAY_8 = 0x00010007;
    /** Largest picture side accepted (a bound on the host memory a guest can make us use). */
    static final int MAX_SIDE = 16384;

    private FramebufferPng() {}

    /**
     * The picture, or an explanation of why there is none.
     *
     * @throws IllegalArgumentException if the format is unknown or the geometry does not fit the VMO
     */
    public static BufferedImage image(Display.Framebuffer fb) {
        int bpp = switch (fb.format()) {
            case RGB_565 -> 2;
            case ARGB_8888, RGB_X888 -> 4;
            case GRAY_8 -> 1;
            default -> throw new IllegalArgumentException(String.format("pixel format 0x%08x is not supported", fb.format()));
        };
        int w = fb.width();
        int h = fb.height();
        if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || fb.stride() < w || fb.stride() > MAX_SIDE) {
            throw new IllegalArgumentException("bad geometry " + w + "x" + h + " stride " + fb.stride());
        }
        long rowBytes = (long) fb.stride() * bpp;
        if (rowBytes * (h - 1) + (long) w * bpp > fb.vmo().size()) {
            throw new IllegalArgumentException("geometry needs more than the VMO's " + fb.vmo().size() + " bytes");
        }
        BufferedImage img = new BufferedImage(w, h, fb.format() == ARGB_8888 ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        byte[] row = new byte[w * bpp];
        for (int y = 0; y < h; y++) {
            fb.vmo().read(y * rowBytes, row, 0, row.length);
            for (int x = 0; x < w; x++) img.setRGB(x, y, pixel(fb.format(), row, x * bpp));
        }
        return img;
    }

    private static int pixel(int format, byte[] row, int at) {
        return switch (format) {
            case RGB_565 -> {
                int v = (row[at] & 0xff) | (row[at + 1] & 0xff) << 8;
                int r = (v >> 11) & 0x1f;
                int g = (v >> 5) & 0x3f;
                int b = v & 0x1f;
                yield (r * 255 / 31) << 16 | (g * 255 / 63) << 8 | (b * 255 / 31);
            }
            case GRAY_8 -> (row[at] & 0xff) * 0x010101;
            // little-endian 32-bit words: B, G, R, A in memory
            default -> (row[at] & 0xff) | (row[at + 1] & 0xff) << 8 | (row[at + 2] & 0xff) << 16 | (row[at + 3] & 0xff) << 24;
        };
    }

    /** Writes {@code fb} to {@code path} as a PNG. */
    public static void write(Display.Framebuffer fb, Path path) throws IOException {
        BufferedImage img = image(fb);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
