package io.ctcohort.engine.bench;

import io.ctcohort.engine.cli.DeviceConverter;
import io.ctcohort.engine.cli.SegmenterOptions;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.RunClock;
import io.ctcohort.engine.infer.Segmenter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * One CT segmented on two devices (a GPU and the CPU): the share of voxels whose labels agree, and
 * each device's time per ONNX Runtime call (one tile at batch 1). Exit 0 when the share reaches
 * {@code --min-agreement}, 1 otherwise. The second run of each device is timed (the first pays the
 * session and, on CUDA, cuDNN's algorithm search).
 *
 * <pre>java -cp ... io.ctcohort.engine.bench.DeviceParity --ct CT [--model DIR] --device cuda:0 [--against cpu]</pre>
 */
@Command(name = "device-parity", mixinStandardHelpOptions = true,
        description = "Labels of one CT on two devices: agreement and per-tile time.")
public final class DeviceParity implements Callable<Integer> {
    @Option(names = "--ct", required = true, description = "the CT (NIfTI or DICOM folder)")
    Path ct;

    /** --model, --device (the device under test: give cuda:N), --batch. */
    @Mixin
    SegmenterOptions model;

    @Option(names = "--against", defaultValue = "cpu", converter = DeviceConverter.class, description = "reference device")
    Device against;

    @Option(names = "--min-agreement", defaultValue = "99.9", description = "percent of voxels that must agree")
    double minAgreement;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeviceParity()).execute(args));
    }

    @Override
    public Integer call() {
        CtVolume image = CtReader.readLocal(ImageRef.of(ct));
        Device device = model.device();
        LabelVolume tested = timed(model.segmenter(), image, model.batch());
        LabelVolume reference = timed(model.segmenter(against.resolve(null)), image, model.batch());
        long n = image.geometry().voxelCount();
        long same = 0;
        long foreground = 0;
        for (int i = 0; i < n; i++) {
            same += tested.get(i) == reference.get(i) ? 1 : 0;
            foreground += reference.get(i) != 0 ? 1 : 0;
        }
        double agreement = 100.0 * same / n;
        System.out.printf(Locale.ROOT, "labels %s vs %s: %.4f %% of %d voxels agree (%d differ; %d foreground in %s)"
                + " - %s (>= %.1f %%)%n", device, against, agreement, n, n - same, foreground, against,
                agreement >= minAgreement ? "PASS" : "FAIL", minAgreement);
        return agreement >= minAgreement ? 0 : 1;
    }

    private static LabelVolume timed(Segmenter segmenter, CtVolume image, int batch) {
        segmenter.segment(image, batch); // warm-up: session, cuDNN search, JIT
        RunClock.Snapshot before = RunClock.snapshot();
        long t = System.nanoTime();
        LabelVolume labels = segmenter.segment(image, batch).labels();
        RunClock.Snapshot calls = RunClock.snapshot().since(before);
        System.out.printf(Locale.ROOT, "%s: %.2f s per exam, %d tile runs, %.1f ms per tile run%n", segmenter.device(),
                (System.nanoTime() - t) / 1e9, calls.calls(), calls.msPerCall());
        return labels;
    }
}
