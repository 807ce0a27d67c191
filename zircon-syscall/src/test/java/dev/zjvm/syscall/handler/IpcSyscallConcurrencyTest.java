package dev.zjvm.syscall.handler;

import static org.junit.jupiter.api.Assertions.*;

import dev.zjvm.object.KernelObject;
import dev.zjvm.object.ZxStatus;
import dev.zjvm.object.ipc.Event;
import dev.zjvm.object.signal.Signals;
import dev.zjvm.syscall.testing.LeakCheck;
import dev.zjvm.syscall.testing.SyscallHarness;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Guest threads moving handles through channels and packets through a port, all by syscalls. */
class IpcSyscallConcurrencyTest {
    private final SyscallHarness h = new SyscallHarness();

    @Test
    void handlesMovedByManyWritersArriveExactlyOnce() throws Exception {
        LeakCheck leaks = LeakCheck.baseline(h.kernel);
        int writers = 3;
        int perWriter = 300;
        long out = h.alloc(8);
        assertEquals(ZxStatus.OK, h.status("channel_create", 0, out, out + 4));
        int tx = h.u32(out);
        int rx = h.u32(out + 4);
        Set<Long> sentKoids = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Integer>> ws = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            ws.add(h.runAsGuest("writer" + w, c -> {
                long evOut = h.alloc(4);
                long msg = h.alloc(8);
                long list = h.alloc(4);
                for (int i = 0; i < perWriter; i++) {
                    assertEquals(ZxStatus.OK, (int) h.callAs(c, "event_create", 0, evOut));
                    int ev = h.u32(evOut);
                    sentKoids.add(h.object(ev, KernelObject.class).koid());
                    h.putU32(list, ev);
                    assertEquals(ZxStatus.OK, (int) h.callAs(c, "channel_write", tx, 0, msg, 8, list, 1));
                }
                return perWriter;
            }));
        }
        CompletableFuture<Set<Long>> reader = h.runAsGuest("reader", c -> {
            Set<Long> got = new HashSet<>();
            long buf = h.alloc(8);
            long hs = h.alloc(4);
            long observed = h.alloc(4);
            while (got.size() < writers * perWriter) {
                int st = (int) h.callAs(c, "channel_read", rx, 0, buf, hs, 8, 1, 0, 0);
                if (st == ZxStatus.ERR_SHOULD_WAIT) {
                    assertEquals(ZxStatus.OK, (int) h.callAs(c, "object_wait_one", rx, Signals.READABLE, h.deadlineIn(60_000), observed));
                    continue;
                }
                assertEquals(ZxStatus.OK, st);
                int value = h.u32(hs);
                assertTrue(got.add(h.object(value, Event.class).koid()), "handle delivered twice");
                assertEquals(ZxStatus.OK, (int) h.callAs(c, "handle_close", value));
            }
            return got;
        });
        for (CompletableFuture<Integer> w : ws) assertEquals(perWriter, w.get(120, TimeUnit.SECONDS));
        Set<Long> got = reader.get(120, TimeUnit.SECONDS);
        assertEquals(sentKoids, got);
        h.call("handle_close", tx);
        h.call("handle_close", rx);
        // The guest threads this test started stay in their process; everything else must go.
        List<Long> threads = h.kernel.liveKoids().stream()
                .filter(k -> h.kernel.lookup(k) instanceof dev.zjvm.object.task.Thread).toList();
        leaks.assertNoNewObjects(threads);
    }

    @Test
    void portPacketsFromManyThreadsReachManyWaitersOnce() throws Exception {
        long out = h.alloc(4);
        assertEquals(ZxStatus.OK, h.status("port_create", 0, out));
        int port = h.u32(out);
        int producers = 2;
        int waiters = 2;
        int per = 500;
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger claims = new java.util.concurrent.atomic.AtomicInteger(producers * per);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int w = 0; w < waiters; w++) {
            all.add(h.runAsGuest("waiter" + w, c -> {
                long pkt = h.alloc(48);
                int n = 0;
                while (claims.getAndDecrement() > 0) {
                    assertEquals(ZxStatus.OK, (int) h.callAs(c, "port_wait", port, Long.MAX_VALUE, pkt));
                    assertTrue(seen.add(h.u64(pkt)), "packet twice");
                    n++;
                }
                return n;
            }));
        }
        for (int p = 0; p < producers; p++) {
            long base = (long) p << 32;
            all.add(h.runAsGuest("producer" + p, c -> {
                long pkt = h.alloc(48);
                for (int i = 0; i < per; i++) {
                    h.putU64(pkt, base | i);
                    assertEquals(ZxStatus.OK, (int) h.callAs(c, "port_queue", port, pkt));
                }
                return 0;
            }));
        }
        int total = 0;
        for (CompletableFuture<Integer> f : all) total += f.get(120, TimeUnit.SECONDS);
        assertEquals(producers * per, total);
        assertEquals(producers * per, seen.size());
    }
}
