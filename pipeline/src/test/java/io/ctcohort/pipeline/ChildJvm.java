package io.ctcohort.pipeline;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code java ... MAIN ARGS} with this test JVM's classpath (as an @argfile) and module opens. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The --add-opens and friends this JVM was started with (surefire's argLine). */
    public static List<String> jvmOpens() {
        List<String> opens = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                opens.add(a);
            }
        }
        return opens;
    }

    public static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Writes "-cp CLASSPATH" to an argfile: a short command line keeps ONNX Runtime and ps happy. */
    public static Path classpathArgfile(Path dir, String classpath) throws IOException {
        Path f = dir.resolve("cp-" + System.nanoTime() + ".args");
        Files.writeString(f, "-cp\n\"" + classpath.replace("\\", "\\\\") + "\"\n");
        return f;
    }

    public static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    public static Path log4jConfig() {
        for (Path p : List.of(Paths.get("../conf/log4j2.properties"), Paths.get("conf/log4j2.properties"))) {
            if (Files.exists(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    public static Process start(Path dir, List<String> jvmArgs, String mainClass, List<String> args, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmOpens());
        cmd.addAll(jvmArgs);
        Path log4j = log4jConfig();
        if (log4j != null) {
            cmd.add("-Dlog4j.configurationFile=" + log4j);
        }
        cmd.add("@" + classpathArgfile(dir, testClasspath()));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(File.separator.equals("/") ? "\n" : "\r\n",
                    lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
