package io.ctcohort.core.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLayoutTest {
    @TempDir
    Path tmp;

    private OutputLayout layout() {
        return new OutputLayout(tmp.toString(), new Configuration());
    }

    @Test
    void runIdsSortByTimeAndNeverRepeat() throws Exception {
        OutputLayout l = layout();
        String a = l.newRunId();
        Files.createDirectories(tmp.resolve("runs").resolve(a));
        String b = l.newRunId();
        assertTrue(b.compareTo(a) > 0, a + " < " + b);
        assertTrue(a.matches("\\d{8}T\\d{9}Z"), a);
    }

    @Test
    void latestNamesOnlyACompleteRunAndStagingOfUnfinishedRunsIsFound() throws Exception {
        OutputLayout l = layout();
        assertEquals(Optional.empty(), l.latestRunId());
        String r1 = l.newRunId();
        Files.createDirectories(tmp.resolve("runs").resolve(r1).resolve("exams"));
        l.commit(r1, "{}");
        assertEquals(Optional.of(r1), l.latestRunId());
        assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().startsWith("_tmp")), "no temp files left");

        String r2 = l.newRunId();
        Files.createDirectories(tmp.resolve("staging").resolve(r2));
        Files.writeString(tmp.resolve("staging").resolve(r2).resolve("abc.json"), "{}");
        assertEquals(List.of(r2), l.unfinishedStaging());
        assertEquals(Optional.of(r1), l.latestRunId(), "an unfinished run never becomes LATEST");
    }

    @Test
    void pruneKeepsTheNewestRuns() throws Exception {
        OutputLayout l = layout();
        String[] ids = new String[4];
        for (int i = 0; i < 4; i++) {
            ids[i] = l.newRunId();
            Files.createDirectories(tmp.resolve("runs").resolve(ids[i]));
            l.commit(ids[i], "{}");
        }
        assertEquals(List.of(ids[0], ids[1]), l.prune(2));
        assertEquals(List.of(ids[2], ids[3]), l.completeRuns());
        assertEquals(Optional.of(ids[3]), l.latestRunId());
    }

    @Test
    void writersAndReadersReadLatestByOneRule() throws Exception {
        OutputLayout l = layout();
        String r1 = l.newRunId();
        Path run = tmp.resolve("runs").resolve(r1);
        Files.createDirectories(run.resolve(OutputLayout.EXAMS));
        Files.createDirectories(run.resolve(OutputLayout.MEASUREMENTS));
        l.commit(r1, "{}");
        for (String latest : List.of(r1 + "\n", "runs/" + r1 + "\n", run.toUri() + "\n", "  " + r1 + "  \nignored\n")) {
            writeLatest(l, latest);
            assertEquals(Optional.of(r1), l.latestRunId(), latest);
            assertEquals(run.toUri().getPath().replaceAll("/$", ""),
                    OutputLayout.resolve(tmp.toString(), new Configuration()).folder().toUri().getPath(), latest);
        }
        writeLatest(l, "\n");
        assertEquals(Optional.empty(), l.latestRunId(), "an empty LATEST names no run");
        InvalidRunException e = assertThrows(InvalidRunException.class,
                () -> OutputLayout.resolve(tmp.toString(), new Configuration()));
        assertTrue(e.getMessage().contains("empty, names no run"), e.getMessage());
        Path elsewhere = Files.createDirectories(tmp.resolve("other").resolve(OutputLayout.RUNS).resolve(r1));
        Files.writeString(elsewhere.resolve(OutputLayout.SUCCESS), "");
        writeLatest(l, elsewhere.toUri().toString());
        assertEquals(Optional.empty(), l.latestRunId(), "a run of another root is not this root's to build on");
    }

    /** As another tool would write it (through the checksummed local file system, as the jobs do). */
    private static void writeLatest(OutputLayout l, String content) throws Exception {
        l.writeAtomically(new org.apache.hadoop.fs.Path(l.root(), OutputLayout.LATEST),
                content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
