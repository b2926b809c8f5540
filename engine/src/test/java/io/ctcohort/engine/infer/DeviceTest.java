package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One parser and one resolution rule for what --device asks and what a task runs on. */
class DeviceTest {
    @Test
    void parsesEveryWayAUserNamesADevice() {
        assertEquals(Device.AUTO, Device.parse(" AUTO "));
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.ANY_GPU, Device.parse("cuda"));
        assertEquals(Device.ANY_GPU, Device.parse("gpu"));
        assertEquals(Device.cuda(2), Device.parse("cuda:2"));
        for (String bad : new String[] {"tpu", "cuda:-1", "cuda:x", "", null}) {
            CtCohortException e = assertThrows(CtCohortException.class, () -> Device.parse(bad));
            assertTrue(e.getMessage().contains("auto, cpu, cuda or cuda:N"), e.getMessage());
        }
        for (Device d : new Device[] {Device.AUTO, Device.CPU, Device.ANY_GPU, Device.cuda(3)}) {
            assertEquals(d, Device.parse(d.toString()), "toString parses back: " + d);
        }
    }

    @Test
    void requestsResolveToTheAssignedGpuOrTheirFallback() {
        assertEquals(Device.cuda(1), Device.AUTO.resolve(1));
        assertEquals(Device.CPU, Device.AUTO.resolve(null), "auto without a GPU: the CPU");
        assertEquals(Device.cuda(1), Device.ANY_GPU.resolve(1));
        assertEquals(Device.cuda(0), Device.ANY_GPU.resolve(null), "cuda outside Spark: GPU 0, never the CPU");
        assertEquals(Device.CPU, Device.CPU.resolve(3), "cpu stays cpu whatever Spark assigned");
        assertEquals(Device.cuda(2), Device.cuda(2).resolve(0), "cuda:N stays N");
        assertFalse(Device.AUTO.isConcrete() || Device.ANY_GPU.isConcrete());
        assertTrue(Device.CPU.isConcrete() && Device.cuda(0).isConcrete());
        assertEquals("cuda:1", Device.AUTO.resolve(1).toString(), "what the exams table's device column says");
        assertThrows(IllegalArgumentException.class, () -> new Device(Device.Kind.CPU, 1));
    }
}
