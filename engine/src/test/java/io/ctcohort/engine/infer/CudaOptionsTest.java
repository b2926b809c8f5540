package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaOptionsTest {
    @Test
    void defaultsNameTheDeviceAndKeepFloat32() {
        Map<String, String> o = CudaOptions.forDevice(3, null);
        assertEquals("3", o.get("device_id"));
        assertEquals("EXHAUSTIVE", o.get("cudnn_conv_algo_search"));
        assertEquals("kSameAsRequested", o.get("arena_extend_strategy"));
        assertEquals("0", o.get("use_tf32"));
    }

    @Test
    void operatorsOverrideAndAdd() {
        Map<String, String> o = CudaOptions.forDevice(0, " use_tf32=1, gpu_mem_limit=68719476736 ");
        assertEquals("1", o.get("use_tf32"));
        assertEquals("68719476736", o.get("gpu_mem_limit"));
        assertEquals("EXHAUSTIVE", o.get("cudnn_conv_algo_search"));
    }

    @Test
    void refusesWhatItCannotApply() {
        CtCohortException e = assertThrows(CtCohortException.class, () -> CudaOptions.forDevice(0, "use_tf32"));
        assertTrue(e.getMessage().contains(CudaOptions.PROPERTY) && e.getMessage().contains("'use_tf32'"),
                e.getMessage());
        e = assertThrows(CtCohortException.class, () -> CudaOptions.forDevice(0, "device_id=2"));
        assertTrue(e.getMessage().contains("device_id"), e.getMessage());
    }
}
