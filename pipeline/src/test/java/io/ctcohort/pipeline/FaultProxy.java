package io.ctcohort.pipeline;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An HTTP proxy for tests that sits in front of s3proxy and injects object-store faults: the Nth
 * request whose method and target (/bucket/key?query) match a rule gets a 503 SlowDown or a reset
 * connection instead of reaching the store. Every other request is forwarded as it is, one
 * request per connection ({@code Connection: close}, a header S3 signatures do not cover), so
 * each request's head can be inspected.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault {
        /** S3's throttling answer: 503 with error code SlowDown. */
        SLOW_DOWN,
        /** The connection is reset (TCP RST) before any response. */
        RESET
    }

    /** Matching requests number 1, 2, ...: those after the first {@code skip} up to {@code times} of them fail. */
    private record Rule(String method, Pattern target, Fault fault, int skip, int times, AtomicInteger seen,
                        AtomicInteger injected) {
        boolean fires(String m, String t) {
            if (!method.equals(m) || !target.matcher(t).find()) {
                return false;
            }
            int n = seen.incrementAndGet();
            return n > skip && n <= (long) skip + times;
        }
    }

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();

    private FaultProxy(ServerSocket server, URI upstream) {
        this.server = server;
        this.upstreamHost = upstream.getHost();
        this.upstreamPort = upstream.getPort();
    }

    /** A proxy on a free loopback port in front of {@code upstream} (http://host:port). */
    public static FaultProxy start(String upstream) throws IOException {
        FaultProxy p = new FaultProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), URI.create(upstream));
        p.pool.execute(p::accept);
        return p;
    }

    /** http://127.0.0.1:PORT */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Fails {@code times} of the requests matching method and target (a regex searched in
     * /bucket/key?query) after letting the first {@code skip} pass; {@code Integer.MAX_VALUE}: all.
     */
    public FaultProxy on(String method, String targetRegex, Fault fault, int skip, int times) {
        rules.add(new Rule(method, Pattern.compile(targetRegex), fault, skip, times, new AtomicInteger(),
                new AtomicInteger()));
        return this;
    }

    /** Removes every rule: from now on all requests pass. */
    public void clear() {
        rules.clear();
    }

    /** Faults injected since the start. */
    public int injected() {
        return injected.get();
    }

    /** Faults injected by each rule in the order added (for asserting that each rule was exercised). */
    public List<Integer> injectedPerRule() {
        return rules.stream().map(r -> r.injected().get()).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            Fault fault = faultFor(requestLine[0], requestLine[1]);
            if (fault == Fault.RESET) {
                client.setSoLinger(true, 0); // close() now sends RST
                return;
            }
            if (fault == Fault.SLOW_DOWN) {
                slowDown(head, in, client.getOutputStream());
                return;
            }
            forward(head, in, client);
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private Fault faultFor(String method, String target) {
        for (Rule r : rules) {
            if (r.fires(method, target)) {
                r.injected().incrementAndGet();
                injected.incrementAndGet();
                return r.fault();
            }
        }
        return null;
    }

    private void forward(String head, InputStream in, Socket client) throws IOException {
        try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
            OutputStream up = upstream.getOutputStream();
            up.write(oneRequest(head).getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            // The body (after a 100 Continue, when asked for) flows up while the response flows down.
            pool.execute(() -> {
                try {
                    in.transferTo(up);
                } catch (IOException e) {
                    // either side closed
                }
            });
            upstream.getInputStream().transferTo(client.getOutputStream());
        }
    }

    /** 503 SlowDown after reading the request body (unless the client waits for 100 Continue before sending it). */
    private static void slowDown(String head, InputStream in, OutputStream out) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (!lower.contains("\r\nexpect: 100-continue")) {
            in.skipNBytes(contentLength(lower));
        }
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                + "<Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static long contentLength(String lowerHead) {
        int i = lowerHead.indexOf("\r\ncontent-length:");
        if (i < 0) {
            return 0;
        }
        int end = lowerHead.indexOf("\r\n", i + 2);
        return Long.parseLong(lowerHead.substring(i + "\r\ncontent-length:".length(), end).strip());
    }

    /** The head with {@code Connection: close}, so that the store answers one request and closes. */
    private static String oneRequest(String head) {
        StringBuilder sb = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                sb.append(line).append("\r\n");
            }
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    /** The request line and headers, without the final blank line; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        int matched = 0; // of "\r\n\r\n"
        while ((b = in.read()) >= 0) {
            buf.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.substring(0, s.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
