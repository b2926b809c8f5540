package io.ctcohort.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.OrtSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** segment's --device and ONNX Runtime settings are parsed once, on the driver, from options or Spark conf. */
class SegmentCommandSettingsTest {
    private static SegmentCommand parse(String... args) {
        SegmentCommand c = new SegmentCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void optionsWinOverSparkConfAndConfFillsTheRest() {
        SparkConf conf = new SparkConf(false).set(SegmentCommand.THREADS_CONF, "6")
                .set(SegmentCommand.CUDA_CONF, "use_tf32=1,gpu_mem_limit=1000");
        SegmentCommand c = parse("--manifest", "m.csv", "--out", "o", "--cuda-options", "use_tf32=0");
        assertEquals(new OrtSettings(6, Map.of("use_tf32", "0", "gpu_mem_limit", "1000")), c.settings(conf));
        assertEquals(new OrtSettings(2, Map.of()),
                parse("--manifest", "m.csv", "--out", "o", "--ort-threads", "2").settings(new SparkConf(false)));
        assertEquals(OrtSettings.UNSET, parse("--manifest", "m.csv", "--out", "o").settings(new SparkConf(false)),
                "nothing set: each executor's system properties, else ONNX Runtime's own");
    }

    @Test
    void aBadValueNamesWhereItCameFrom() {
        SparkConf conf = new SparkConf(false).set(SegmentCommand.THREADS_CONF, "many");
        CtCohortException e = assertThrows(CtCohortException.class,
                () -> parse("--manifest", "m.csv", "--out", "o").settings(conf));
        assertTrue(e.getMessage().contains(SegmentCommand.THREADS_CONF + "='many'"), e.getMessage());
        e = assertThrows(CtCohortException.class,
                () -> parse("--manifest", "m.csv", "--out", "o", "--ort-threads", "0").settings(new SparkConf(false)));
        assertTrue(e.getMessage().contains("--ort-threads='0'"), e.getMessage());
    }

    @Test
    void theDeviceIsOneTypeParsedByOneParser() {
        assertEquals(Device.AUTO, parse("--manifest", "m.csv", "--out", "o").device);
        assertEquals(Device.ANY_GPU, parse("--manifest", "m.csv", "--out", "o", "--device", "cuda").device);
        assertEquals(Device.cuda(1), parse("--manifest", "m.csv", "--out", "o", "--device", "cuda:1").device);
        assertThrows(CommandLine.ParameterException.class,
                () -> parse("--manifest", "m.csv", "--out", "o", "--device", "tpu"));
    }
}
