package dev.lok8s.lo.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code GET} to the Docker Engine over its unix socket: HTTP/1.1, one connection per request
 * ({@code Connection: close}), the JDK's own unix-domain channel. The engine's reads (lists, inspects,
 * the disk-usage report) go through it, so a command that only reads the engine (a re-run with
 * everything in place, {@code lo registry status}) loads no HTTP client library: docker-java's
 * transport (httpclient5, its connection pool and TLS set-up) is made on the first change only.
 * Answers larger than the caller's bound are cut there; a request that gets no whole answer within
 * the timeout fails with an IOException, as an unreachable engine.
 */
final class UnixSocketGet {

    /** Most bytes of a status line and headers. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    record Answer(int status, byte[] body) {
    }

    private final Path socket;
    private final Duration timeout;

    UnixSocketGet(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Answer get(String path, int maxBodyBytes) throws IOException {
        if (path.isEmpty() || path.charAt(0) != '/' || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("not a request path: " + path);
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        // the channel has no read timeout of its own: closing it ends a blocked read
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> close(channel),
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try (channel) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: lo\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            channel.write(ByteBuffer.wrap(request));
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
            return read(in, maxBodyBytes);
        } catch (AsynchronousCloseException e) {
            throw new SocketTimeoutException("no answer from " + socket + " within " + timeout.toSeconds() + " s");
        } finally {
            deadline.cancel(false);
        }
    }

    /** A response: status line, headers, then a body by Content-Length, chunks, or up to the end. */
    static Answer read(InputStream in, int maxBodyBytes) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine.substring(0, Math.min(80, statusLine.length())));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + parts[1]);
        }
        long length = -1;
        boolean chunked = false;
        int headBytes = statusLine.length();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            headBytes += header.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("the answer's headers are larger than " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("not a Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (status == 204 || status == 304) {
            return new Answer(status, body.toByteArray());
        }
        if (chunked) {
            while (true) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                long n;
                try {
                    n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("not a chunk size: " + size);
                }
                if (n == 0) {
                    break;
                }
                if (!copy(in, body, n, maxBodyBytes)) {
                    return new Answer(status, body.toByteArray());  // cut at the bound: the caller says so
                }
                line(in);  // the chunk's CRLF
            }
        } else if (length >= 0) {
            copy(in, body, length, maxBodyBytes);
        } else {
            copy(in, body, Long.MAX_VALUE, maxBodyBytes);
        }
        return new Answer(status, body.toByteArray());
    }

    /** Copies up to n bytes (Long.MAX_VALUE: to the end); false when the bound was reached first. */
    private static boolean copy(InputStream in, ByteArrayOutputStream out, long n, int bound) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = n;
        while (left > 0) {
            if (out.size() >= bound) {
                return false;
            }
            int want = (int) Math.min(Math.min(buffer.length, left), bound - out.size());
            int got = in.read(buffer, 0, want);
            if (got < 0) {
                if (n == Long.MAX_VALUE) {
                    return true;
                }
                throw new EOFException("the answer ended early");
            }
            out.write(buffer, 0, got);
            left -= got;
        }
        return true;
    }

    /** One CRLF-ended line, without its end. */
    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the answer ended early");
            }
            if (s.length() >= MAX_HEAD_BYTES) {
                throw new IOException("a line of the answer is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
