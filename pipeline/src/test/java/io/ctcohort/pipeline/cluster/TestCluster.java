package io.ctcohort.pipeline.cluster;

import io.ctcohort.pipeline.ChildJvm;
import io.ctcohort.pipeline.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on the loopback interface, built from the Maven jars alone: a
 * temporary SPARK_HOME whose jars/ links Spark's and Hadoop's jars (target/spark-classpath.txt), a
 * Master and Worker JVMs, and {@code ctcohort segment} submitted as the application jar
 * (target/ctcohort-app.jar) through org.apache.spark.deploy.SparkSubmit. Closing stops every JVM
 * it started, by PID.
 */
final class TestCluster implements AutoCloseable {
    private final Path tmp;
    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private String master;

    private TestCluster(Path tmp, Path home) {
        this.tmp = tmp;
        this.home = home;
    }

    static Path appJar() {
        return Paths.get(System.getProperty("ctcohort.pipeline.appJar", "target/ctcohort-app.jar"));
    }

    private static Path sparkClasspath() {
        return Paths.get(System.getProperty("ctcohort.pipeline.sparkClasspath", "target/spark-classpath.txt"));
    }

    /** True when `mvn verify` built what the cluster needs (the application jar, Spark's classpath). */
    static boolean available() {
        return Files.exists(appJar()) && Files.exists(sparkClasspath());
    }

    /** A started Master (no Workers yet). */
    static TestCluster startMaster(Path tmp) throws Exception {
        TestCluster c = new TestCluster(tmp, sparkHome(tmp, sparkClasspath()));
        int port = freePort();
        c.master = "spark://127.0.0.1:" + port;
        Path log = tmp.resolve("master.log");
        c.start(List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master", List.of("--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())), log, "127.0.0.1");
        waitFor(log, "I have been elected leader", 120);
        return c;
    }

    String master() {
        return master;
    }

    /**
     * Starts Worker {@code n} (one core) on {@code host} (any 127.x.y.z address: two hosts let Spark
     * place a speculative copy beside the original) and waits until it registered.
     */
    Process startWorker(int n, String host, List<String> jvmArgs) throws Exception {
        Path log = tmp.resolve("worker" + n + ".log");
        List<String> args = new ArrayList<>(List.of("-Xmx256m"));
        args.addAll(jvmArgs);
        Process p = start(args, "org.apache.spark.deploy.worker.Worker", List.of("--host", host, "--cores", "1",
                "--memory", "3g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                tmp.resolve("work" + n).toString(), master), log, host);
        waitFor(log, "Successfully registered with master", 120);
        workers.add(p);
        return p;
    }

    /** {@code ctcohort segment} through SparkSubmit in client mode, with these extra {@code --conf}s. */
    Process submit(Path manifest, Path out, String device, Path log, String... confs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client",
                "--class", "io.ctcohort.cli.CtCohortCli",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.cores=1"));
        boolean executorOptions = false;
        for (String conf : confs) {
            executorOptions |= conf.startsWith("spark.executor.extraJavaOptions=");
            args.addAll(List.of("--conf", conf));
        }
        if (!executorOptions) {
            args.addAll(List.of("--conf", executorJavaOptions()));
        }
        args.addAll(List.of(appJar().toAbsolutePath().toString(), "segment", "--manifest", manifest.toString(),
                "--out", out.toString(), "--device", device, "--model", TestModels.dir().toString()));
        return start(List.of("-Xmx1g"), "org.apache.spark.deploy.SparkSubmit", args, log, "127.0.0.1");
    }

    /** The executors' JVM options: the module opens, plus {@code extra} (test hooks). */
    static String executorJavaOptions(String... extra) {
        List<String> options = new ArrayList<>(ChildJvm.jvmOpens());
        options.addAll(List.of(extra));
        return "spark.executor.extraJavaOptions=" + String.join(" ", options);
    }

    /** SIGKILLs a Worker and the executor JVMs it started: a machine lost mid-job. Returns how many JVMs. */
    static int kill(Process worker) throws InterruptedException {
        List<ProcessHandle> executors = worker.descendants().toList();
        worker.destroyForcibly();
        executors.forEach(ProcessHandle::destroyForcibly);
        worker.waitFor(30, TimeUnit.SECONDS);
        return 1 + executors.size();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
    }

    /** SPARK_HOME/jars linking Spark's and Hadoop's jars: what a Spark distribution holds. */
    private static Path sparkHome(Path tmp, Path classpathFile) throws IOException {
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        String entries = Files.readString(classpathFile).strip();
        Path runtime = classpathFile.resolveSibling("spark-runtime-classpath.txt");
        if (Files.exists(runtime)) {
            entries += java.io.File.pathSeparator + Files.readString(runtime).strip();
        }
        for (String entry : entries.split(java.io.File.pathSeparator)) {
            Path jar = Paths.get(entry);
            if (entry.endsWith(".jar") && Files.exists(jar) && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Files.createDirectories(home.resolve("conf"));
        return home;
    }

    private Process start(List<String> jvmArgs, String main, List<String> args, Path log, String localIp)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildJvm.java());
        cmd.addAll(ChildJvm.jvmOpens());
        cmd.addAll(jvmArgs);
        Path log4j = ChildJvm.log4jConfig();
        if (log4j != null && main.endsWith("SparkSubmit")) {
            cmd.add("-Dlog4j.configurationFile=" + log4j); // Master and Workers keep Spark's INFO log: tests wait on it
        }
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + "/*");
        cmd.add(main);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", localIp);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static void waitFor(Path log, String line, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' in " + log + ":\n" + ChildJvm.tail(log));
    }

    /** SIGTERM first (a Worker's shutdown hook stops its executors), then SIGKILL what is left, by PID. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
