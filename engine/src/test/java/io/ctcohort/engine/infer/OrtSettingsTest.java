package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrtSettingsTest {
    @Test
    void parsesThreadsAndNamesTheSourceOfABadValue() {
        assertEquals(OrtSettings.UNSET, OrtSettings.parse(null, "--ort-threads", " ", "--cuda-options"));
        assertEquals(3, OrtSettings.parse(" 3 ", "--ort-threads", null, "--cuda-options").intraOpThreads());
        for (String bad : new String[] {"four", "0", "-2"}) {
            CtCohortException e = assertThrows(CtCohortException.class,
                    () -> OrtSettings.parse(bad, "spark.ctcohort.ort.threads", null, "x"));
            assertTrue(e.getMessage().contains("spark.ctcohort.ort.threads='" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void cudaDefaultsNameTheDeviceAndKeepFloat32() {
        Map<String, String> o = OrtSettings.UNSET.cudaProviderOptions(3);
        assertEquals("3", o.get("device_id"));
        assertEquals("EXHAUSTIVE", o.get("cudnn_conv_algo_search"));
        assertEquals("kSameAsRequested", o.get("arena_extend_strategy"));
        assertEquals("0", o.get("use_tf32"));
    }

    @Test
    void operatorsOverrideAndAddCudaOptions() {
        OrtSettings s = OrtSettings.parse(null, "t", " use_tf32=1, gpu_mem_limit=68719476736 ", "--cuda-options");
        Map<String, String> o = s.cudaProviderOptions(0);
        assertEquals("1", o.get("use_tf32"));
        assertEquals("68719476736", o.get("gpu_mem_limit"));
        assertEquals("EXHAUSTIVE", o.get("cudnn_conv_algo_search"));
        assertEquals(List.of("device_id", "cudnn_conv_algo_search", "cudnn_conv_use_max_workspace",
                "arena_extend_strategy", "use_tf32", "do_copy_in_default_stream", "gpu_mem_limit"),
                List.copyOf(o.keySet()), "defaults in their order, then what the operator added");
    }

    @Test
    void refusesWhatItCannotApply() {
        CtCohortException e = assertThrows(CtCohortException.class,
                () -> OrtSettings.parse(null, "t", "use_tf32", "--cuda-options"));
        assertTrue(e.getMessage().contains("--cuda-options") && e.getMessage().contains("'use_tf32'"), e.getMessage());
        e = assertThrows(CtCohortException.class, () -> OrtSettings.parse(null, "t", "device_id=2", "--cuda-options"));
        assertTrue(e.getMessage().contains("device_id"), e.getMessage());
        assertThrows(CtCohortException.class, () -> new OrtSettings(0, Map.of("device_id", "1")));
    }

    @Test
    void anUnsetValueFallsBackAndExplicitOnesWin() {
        OrtSettings jvm = new OrtSettings(8, Map.of("use_tf32", "1", "gpu_mem_limit", "1000"));
        OrtSettings cli = new OrtSettings(0, Map.of("use_tf32", "0"));
        OrtSettings s = cli.orElse(jvm);
        assertEquals(8, s.intraOpThreads(), "threads unset here: the fallback's");
        assertEquals(Map.of("use_tf32", "0", "gpu_mem_limit", "1000"), s.cudaOptions());
        assertEquals(2, new OrtSettings(2, Map.of()).orElse(jvm).intraOpThreads());
    }
}
