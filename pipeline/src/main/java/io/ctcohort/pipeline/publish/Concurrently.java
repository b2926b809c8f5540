package io.ctcohort.pipeline.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Pieces of publishing work run at once, one thread each: the tables, a table's carrying and writing, file requests. */
final class Concurrently {
    private Concurrently() {
    }

    /** Runs every piece on its own thread and waits for all; their results in order, or the first failure. */
    static <T> List<T> all(List<Callable<T>> work) throws IOException {
        if (work.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            List<T> out = new ArrayList<>(work.size());
            for (Future<T> f : pool.invokeAll(work)) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
