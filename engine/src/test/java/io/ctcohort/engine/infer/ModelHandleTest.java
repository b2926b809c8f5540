package io.ctcohort.engine.infer;

import ai.onnxruntime.OrtSession;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.model.ModelPart;
import io.ctcohort.engine.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.Lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model handle owns its sessions and tensors and closes them; the registry shares one handle per model. */
class ModelHandleTest {

    /** A private copy of a test model, so that closing its handle touches no other test's handle. */
    static Path copyModel(String name, Path to) throws IOException {
        Files.createDirectories(to);
        Path src = TestModels.dir(name);
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static CtVolume smallCt(Segmenter seg) {
        return SegmenterTest.randomCt(new int[] {19, 13, 11}, new int[] {1, 2, 3}, seg.card().targetSpacingMm(),
                new Random(11), SegmenterTest.centres(seg.card()));
    }

    @Test
    void closingClosesSessionsAndTensorsAndRefusesLaterUse(@TempDir Path tmp) throws Exception {
        ModelHandle handle = ModelHandle.open(copyModel("pointwise5", tmp.resolve("m")), OrtSettings.UNSET);
        Segmenter seg = handle.segmenter(Device.CPU);
        CtVolume ct = smallCt(seg);
        PreparedCt ahead = seg.prepare(ct); // prepared while open, finished after close: refused too
        seg.segment(ct);
        ModelPart part = handle.model().parts().get(0);
        OrtSession session = handle.sessions().get(part, Device.CPU);
        assertEquals(1, handle.sessionCount(), "one session: one part on one device");
        TileBuffers pooled = handle.pool().borrow(part, 1, 16 * 12 * 8);
        handle.pool().giveBack(part, pooled);
        assertFalse(pooled.inputTensor.isClosed());

        handle.close();

        assertTrue(handle.isClosed());
        assertEquals(0, handle.sessionCount());
        assertThrows(IllegalStateException.class, session::getInputInfo, "the ONNX Runtime session is closed");
        assertTrue(pooled.inputTensor.isClosed() && pooled.outputTensor.isClosed(), "pooled tensors are closed");
        for (Runnable use : new Runnable[] {() -> seg.segment(ct), () -> seg.prepare(ct),
                () -> seg.segment(ahead, 1), () -> handle.segmenter(Device.CPU)}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("is closed") && e.getMessage().contains("pointwise5")
                    && e.getMessage().contains(handle.model().dir().toString()), e.getMessage());
        }
        handle.close(); // idempotent
    }

    @Test
    void closeWaitsForACallInFlight(@TempDir Path tmp) throws Exception {
        ModelHandle handle = ModelHandle.open(copyModel("pointwise5", tmp.resolve("m")), OrtSettings.UNSET);
        Lock inFlight = handle.use();
        Thread closer = new Thread(() -> {
            try {
                assertFalse(handle.closeWithin(50), "a call is running: not closed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        closer.join();
        assertFalse(handle.isClosed());
        inFlight.unlock();
        assertTrue(handle.closeWithin(1000));
        assertTrue(handle.isClosed());
    }

    @Test
    void theRegistryGivesOneHandlePerModelAndOneSegmenterPerDevice(@TempDir Path tmp) throws Exception {
        Path dir = copyModel("pointwise5", tmp.resolve("m"));
        ModelHandle a = ModelHandles.open(dir);
        assertSame(a, ModelHandles.open(dir.resolve("../m")), "the same directory, however written");
        assertSame(a.segmenter(Device.CPU), ModelHandles.open(dir).segmenter(Device.parse("cpu")));
        assertSame(a.segmenter(Device.CPU), a.segmenter(Device.AUTO.resolve(null)), "auto outside Spark: the CPU");
        assertThrows(IllegalArgumentException.class, () -> a.segmenter(Device.AUTO), "a request is resolved first");
        OrtSettings two = new OrtSettings(2, Map.of());
        assertNotSame(a, ModelHandles.open(dir, two), "other settings: another handle (other sessions)");
        assertSame(ModelHandles.open(dir, two), ModelHandles.open(dir, new OrtSettings(2, Map.of())));

        a.close(); // leaves the registry: the next open loads the model afresh
        ModelHandle b = ModelHandles.open(dir);
        assertNotSame(a, b);
        assertFalse(b.isClosed());
        b.segmenter(Device.CPU).segment(smallCt(b.segmenter(Device.CPU)));

        int before = ModelHandles.openCount();
        assertTrue(before >= 2);
        ModelHandles.closeAll();
        assertTrue(b.isClosed() && ModelHandles.open(dir, two) != null);
        assertEquals(1, ModelHandles.openCount(), "closeAll emptied the registry; only the handle just reopened");
    }

    /** The registry's shutdown hook is installed and closes every handle, leaving one still mid-call open. */
    @Test
    void theShutdownHookClosesTheRegistrysHandles(@TempDir Path tmp) throws Exception {
        assertTrue(Runtime.getRuntime().removeShutdownHook(ModelHandles.SHUTDOWN_HOOK), "the hook is installed");
        Runtime.getRuntime().addShutdownHook(ModelHandles.SHUTDOWN_HOOK);
        ModelHandle idle = ModelHandles.open(copyModel("pointwise5", tmp.resolve("idle")));
        ModelHandle busy = ModelHandles.open(copyModel("pointwise5", tmp.resolve("busy")));
        Lock call = busy.use();
        Thread hook = new Thread(() -> ModelHandles.closeAtShutdown(50));
        hook.start();
        hook.join();
        assertTrue(idle.isClosed(), "an idle handle is closed at shutdown");
        assertFalse(busy.isClosed(), "a handle mid-call is left to the process exit, not closed under the call");
        call.unlock();
        busy.close();
    }

    /**
     * The handle's intra-op threads reach its session: ONNX Runtime starts its intra-op pool (threads - 1
     * OS threads) when the session is created, so a session with 9 threads adds 8 threads to the
     * process and one with 1 adds none.
     */
    @Test
    void intraOpThreadsReachTheSession(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux: threads are counted in /proc/self/task");
        int one = threadsAddedBySession(copyModel("pointwise5", tmp.resolve("one")), 1);
        int nine = threadsAddedBySession(copyModel("pointwise5", tmp.resolve("nine")), 9);
        // 8 pool threads with 9; none with 1 (a JVM thread starting meanwhile may add one to either count)
        assertTrue(nine >= 8 && one <= 2, "threads added: " + one + " with 1, " + nine + " with 9");
    }

    private static int threadsAddedBySession(Path dir, int threads) throws Exception {
        try (ModelHandle handle = ModelHandle.open(dir, new OrtSettings(threads, Map.of()))) {
            assertEquals(threads, handle.settings().intraOpThreads());
            int before = osThreads();
            handle.sessions().get(handle.model().parts().get(0), Device.CPU);
            return osThreads() - before;
        }
    }

    private static int osThreads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        }
    }
}
