package io.ctcohort.pipeline.exam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every file under a folder, one folder listing at a time (depth first, names in order).
 * Hadoop's own {@code listFiles(dir, true)} is avoided on purpose: on the local file system it
 * builds a LocatedFileStatus per file, whose permissions are loaded by forking a {@code stat}
 * process per file (4 ms each: 24 s for 6,100 files, measured), where plain listings cost
 * microseconds. Only the current folder's entries and the folders still to visit are held.
 */
public final class FileWalk implements Iterator<FileStatus> {
    private final FileSystem fs;
    private final Deque<Path> folders = new ArrayDeque<>();
    private final Deque<FileStatus> files = new ArrayDeque<>();

    public FileWalk(FileSystem fs, Path dir) {
        this.fs = fs;
        folders.push(dir);
    }

    @Override
    public boolean hasNext() {
        while (files.isEmpty() && !folders.isEmpty()) {
            Path dir = folders.pop();
            FileStatus[] children;
            try {
                children = fs.listStatus(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
            Arrays.sort(children);
            for (int i = children.length - 1; i >= 0; i--) { // reversed onto a stack: visited in name order
                if (children[i].isDirectory()) {
                    folders.push(children[i].getPath());
                }
            }
            for (FileStatus c : children) {
                if (!c.isDirectory()) {
                    files.add(c);
                }
            }
        }
        return !files.isEmpty();
    }

    @Override
    public FileStatus next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return files.poll();
    }
}
