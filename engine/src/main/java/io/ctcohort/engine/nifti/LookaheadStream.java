package io.ctcohort.engine.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * A stream whose available() is above 0 whenever a byte follows, found by reading one ahead.
 * GZIPInputStream looks for a further gzip member only when available() > 0; S3A and other network
 * streams answer 0, so a file of concatenated members (as written by pigz or `cat a.gz b.gz`) would
 * end early there.
 */
final class LookaheadStream extends PushbackInputStream {
    LookaheadStream(InputStream in) {
        super(in, 1);
    }

    @Override
    public int available() throws IOException {
        int a = super.available();
        if (a > 0) {
            return a;
        }
        int b = read();
        if (b < 0) {
            return 0;
        }
        unread(b);
        return 1;
    }
}
