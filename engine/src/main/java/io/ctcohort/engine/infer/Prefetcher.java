package io.ctcohort.engine.infer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prepares the next items of a sequence on one helper thread while the caller works on the current
 * one: the caller's device (a GPU, or the CPU's ONNX Runtime threads) infers exam i while exam i+1
 * is read and preprocessed. At most {@code depth} items are prepared ahead of the one the caller
 * holds, which bounds memory to depth + 1 prepared exams. Items come out in their order, and a
 * preparation that fails is handed over with its item (not thrown early), so one bad exam stays one
 * failed row. {@code depth} 0 prepares on the caller's thread: the serial path, same results.
 *
 * @param <T> an item (an exam)
 * @param <P> what preparing it gives (a read and preprocessed CT)
 */
public final class Prefetcher<T, P> implements Iterator<Prefetcher.Prepared<T, P>>, AutoCloseable {
    /** Prepares one item; may throw anything an exam can. */
    @FunctionalInterface
    public interface Preparation<T, P> {
        P prepare(T item) throws Exception;
    }

    /** An item with its preparation's outcome: a value, or the Throwable it failed with. */
    public record Prepared<T, P>(T item, P value, Throwable error, long waitNanos) {
        /** The value, or the preparation's failure rethrown (checked exceptions as they were). */
        public P get() throws Exception {
            if (error instanceof Exception e) {
                throw e;
            }
            if (error instanceof Error e) {
                throw e;
            }
            return value;
        }
    }

    private final Iterator<T> source;
    private final Preparation<T, P> preparation;
    private final int depth;
    private final ExecutorService helper;
    private final Deque<Pending<T, P>> ahead = new ArrayDeque<>();

    private record Pending<T, P>(T item, Future<P> future) {
    }

    public Prefetcher(Iterator<T> source, Preparation<T, P> preparation, int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("prefetch depth must be >= 0, is " + depth);
        }
        this.source = source;
        this.preparation = preparation;
        this.depth = depth;
        this.helper = depth == 0 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ctcohort-prefetch");
            t.setDaemon(true); // never keeps a JVM (an executor) alive
            return t;
        });
    }

    @Override
    public boolean hasNext() {
        return !ahead.isEmpty() || source.hasNext();
    }

    @Override
    public Prepared<T, P> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (helper == null) {
            T item = source.next();
            try {
                return new Prepared<>(item, preparation.prepare(item), null, 0);
            } catch (Exception | Error e) {
                return new Prepared<>(item, null, e, 0);
            }
        }
        fill();
        Pending<T, P> current = ahead.poll();
        fill(); // the helper starts on the next item before the caller waits for this one
        long t = System.nanoTime();
        try {
            P value = current.future().get();
            return new Prepared<>(current.item(), value, null, System.nanoTime() - t);
        } catch (ExecutionException e) {
            return new Prepared<>(current.item(), null, e.getCause(), System.nanoTime() - t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Prepared<>(current.item(), null, e, System.nanoTime() - t);
        }
    }

    /** Queues items until the one the caller will take next plus {@code depth} more are submitted. */
    private void fill() {
        while (ahead.size() < depth && source.hasNext()) {
            T item = source.next();
            ahead.add(new Pending<>(item, helper.submit(() -> preparation.prepare(item))));
        }
    }

    /** Stops the helper; preparations not taken are cancelled (a task that fails midway leaves none running). */
    @Override
    public void close() {
        if (helper != null) {
            ahead.forEach(p -> p.future().cancel(true));
            ahead.clear();
            helper.shutdownNow();
        }
    }
}
