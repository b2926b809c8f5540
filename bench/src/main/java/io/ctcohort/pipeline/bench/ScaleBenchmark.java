package io.ctcohort.pipeline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code measure} costs per exam as an archive grows: for each N, N tiny exams
 * ({@link TinyCohort}) through a full run, a no-op {@code --incremental} re-run and a re-run with
 * 1 % of the CTs rewritten, each in its own JVM ({@link ScaleRun}) on local[2]. Prints per run the
 * whole process's wall and CPU time per exam, plan / process / publish, peak heap (the sum of its
 * pools' peaks), the most heap left live after a collection ("live") and RSS until the job returned,
 * Spark tasks and executor time, table files and the bytes of those the run wrote (not carried over), whether each
 * key has exactly one row, and the growth exponent of each figure between sizes (1 = linear).
 * Asserts nothing but exactly-once (it exits 1 if a run lost or duplicated a row).
 * <pre>
 * java ... ScaleBenchmark [--sizes 1000,10000,100000] [--work DIR] [--master local[2]] [--heap 1g] [--jvm launcher|default]
 * </pre>
 * {@code --jvm launcher} (the default) runs each JVM with the JIT and collector options {@code bin/ctcohort}
 * gives {@code measure --incremental} into the same output ({@code bin/jvm-options}: C1 only and the
 * parallel collector for the re-runs over a finished run, the JVM's defaults for the full run);
 * {@code --jvm default} runs all three with the JVM's defaults (full JIT, G1), for comparison. The script
 * is found under {@code $CTCOHORT_HOME} (set by the launcher), else the working directory.
 * The pool of exams in DIR/pool is written once and reused (100,000 exams: 200,000 files, ~1 GB).
 */
public final class ScaleBenchmark {
    private static final String[] PHASES = {"full", "no-op", "1% changed"};

    private ScaleBenchmark() {
    }

    record Figures(int n, String phase, double wall, String conditions, Map<String, String> v) {
        double d(String k) {
            return Double.parseDouble(v.get(k));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("--sizes", "1000,10000,100000",
                "--work", "/tmp/ctcohort-scale", "--master", "local[2]", "--heap", "1g", "--jvm", "launcher"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        if (!List.of("launcher", "default").contains(opt.get("--jvm"))) {
            throw new IllegalArgumentException("--jvm must be launcher or default, not '" + opt.get("--jvm") + "'");
        }
        Path work = Paths.get(opt.get("--work"));
        TinyCohort pool = new TinyCohort(work.resolve("pool"));
        List<Figures> all = new ArrayList<>();
        int round = 0;
        for (String size : opt.get("--sizes").split(",")) {
            int n = Integer.parseInt(size.strip());
            pool.ensure(n);
            Path manifest = pool.manifest(n);
            Path out = work.resolve("out-" + n + "-" + System.currentTimeMillis());
            for (String phase : PHASES) {
                if (phase.equals("1% changed")) {
                    pool.changeOnePercent(n, ++round);
                }
                Figures f = run(n, phase, manifest, out, pool.labelsTsv(), opt, work);
                all.add(f);
                System.out.println(row(f));
                if (!Boolean.parseBoolean(f.v().get("exactly_once"))) {
                    System.out.println("EXACTLY-ONCE VIOLATED: " + f.v());
                    System.exit(1);
                }
            }
        }
        System.out.println();
        System.out.println(header());
        all.forEach(f -> System.out.println(row(f)));
        System.out.println();
        System.out.println(exponents(all));
    }

    private static Figures run(int n, String phase, Path manifest, Path out, Path labels, Map<String, String> opt,
                               Path work) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + opt.get("--heap"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-D") || a.startsWith("-XX:+IgnoreUnrecognized")) {
                cmd.add(a);
            }
        }
        List<String> jvm = opt.get("--jvm").equals("launcher") ? launcherJvmOptions(out) : List.of();
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleRun.class.getName(),
                manifest.toString(), out.toString(), labels.toString(), opt.get("--master"), Integer.toString(n)));
        Path log = work.resolve("logs").resolve(n + "-" + phase.replaceAll("[^a-z0-9]", "") + ".log");
        Files.createDirectories(log.getParent());
        String loadBefore = loadAverage();
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.waitFor();
        double wall = (System.nanoTime() - t) / 1e9;
        String result = Files.readAllLines(log).stream().filter(l -> l.startsWith(ScaleRun.PREFIX)).findFirst()
                .orElseThrow(() -> new IllegalStateException("run " + n + " " + phase + " failed, see " + log));
        Map<String, String> v = new LinkedHashMap<>();
        for (String kv : result.substring(ScaleRun.PREFIX.length()).split(" ")) {
            String[] f = kv.split("=", 2);
            v.put(f[0], f[1]);
        }
        String jvmText = jvm.isEmpty() ? "full JIT, G1" : String.join(" ", jvm);
        return new Figures(n, phase, wall, jvmText + ", load " + loadBefore + " -> " + loadAverage(), v);
    }

    /** The JVM options bin/ctcohort would give {@code measure --incremental --out out} ({@code bin/jvm-options}). */
    private static List<String> launcherJvmOptions(Path out) throws IOException, InterruptedException {
        Path script = Paths.get(System.getenv().getOrDefault("CTCOHORT_HOME", "."), "bin", "jvm-options");
        Process p = new ProcessBuilder("bash", script.toString(), "measure", "--incremental", "--out", out.toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(script + " failed: " + text.strip());
        }
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    /** The peak resident set of a process (VmHWM), in bytes, read by {@link ScaleRun} when the job returns; 0 where /proc is absent. */
    static long rssPeak(long pid) {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: no figure
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static String header() {
        return String.format(Locale.ROOT, "%-8s %-10s %9s %9s %8s %8s %8s %8s %8s %8s %8s %8s %7s %8s %7s %6s %10s %s",
                "exams", "run", "processed", "wall s", "ms/exam", "cpu ms", "plan ms", "proc ms", "publ ms", "heap MiB",
                "live MiB", "RSS MiB", "tasks", "exec s", "staged", "files", "written B", "exactly-once / JVM options, load");
    }

    static String row(Figures f) {
        double n = f.n();
        return String.format(Locale.ROOT, "%-8d %-10s %9s %9.1f %8.2f %8.2f %8.3f %8.3f %8.3f %8d %8d %8d %7s %8.1f %7s %6s %10s %s  %s",
                f.n(), f.phase(), f.v().get("processed"), f.wall(), f.wall() * 1e3 / n, f.d("cpu") * 1e3 / n,
                f.d("plan") * 1e3 / n,
                f.d("process") * 1e3 / n, f.d("publish") * 1e3 / n, (long) f.d("heap_peak") >> 20,
                (long) f.d("heap_after_gc") >> 20, (long) f.d("rss_job") >> 20,
                f.v().get("tasks"), f.d("executor_run_ms") / 1e3, f.v().get("staging_files"), f.v().get("table_files"),
                f.v().get("written_bytes"), f.v().get("exactly_once"), f.conditions());
    }

    /** Growth exponents k in time ~ N^k between the smallest and the largest size, per run and figure. */
    static String exponents(List<Figures> all) {
        StringBuilder s = new StringBuilder("growth exponent (time ~ N^k, smallest to largest size):");
        for (String phase : PHASES) {
            List<Figures> fs = all.stream().filter(f -> f.phase().equals(phase)).toList();
            if (fs.size() < 2) {
                continue;
            }
            Figures a = fs.get(0);
            Figures b = fs.get(fs.size() - 1);
            double ln = Math.log((double) b.n() / a.n());
            s.append(String.format(Locale.ROOT, "%n  %-10s wall %.2f, cpu %.2f, plan %.2f, process %.2f, publish %.2f, heap %.2f",
                    phase, Math.log(b.wall() / a.wall()) / ln, Math.log(b.d("cpu") / a.d("cpu")) / ln, Math.log(b.d("plan") / a.d("plan")) / ln,
                    Math.log(Math.max(1e-3, b.d("process")) / Math.max(1e-3, a.d("process"))) / ln,
                    Math.log(b.d("publish") / a.d("publish")) / ln, Math.log(b.d("heap_peak") / a.d("heap_peak")) / ln));
        }
        return s.toString();
    }
}
