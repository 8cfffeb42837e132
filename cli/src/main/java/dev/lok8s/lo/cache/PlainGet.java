package dev.lok8s.lo.cache;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 GET (or HEAD) over plain HTTP on a connection of its own ({@code Connection: close}), for
 * reading manifests and blobs from a mirror: a few hundred bytes of request and a status line and headers read by hand, then
 * the body straight from the socket. The JDK's HTTP client moves every body through its selector thread
 * and a queue of buffers, and in a JVM that lives for one warm that code runs cold for most of the
 * transfer: reading 90 MB took it 2.4-3.2 s where this read takes 0.6-0.8 s (docs/benchmarks.md).
 * Bounded like every answer lo reads from a peer: the connect and the status line with its headers
 * within their timeouts, at most {@link #MAX_HEAD_BYTES} of them; a chunked body's size lines at most
 * {@link #MAX_CHUNK_LINE} bytes. The body's own bounds (its size, its deadline) are the caller's
 * ({@link BoundedBody#drain}); closing the body closes the connection, which stops a blocked read.
 * Redirects are not followed (nor are they by lo's HTTP client). Using it for every request of a warm
 * through a plain-HTTP mirror also spares building the JDK's HTTP client (0.3-0.6 s of a fresh JVM).
 */
final class PlainGet implements AutoCloseable {

    /** The status line and all headers together. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** One line of a chunked body's framing (a size, with any extension; a trailer). */
    static final int MAX_CHUNK_LINE = 1024;
    private static final int BUFFER = 256 * 1024;

    /** The peer's answer broke HTTP/1.1 or one of the bounds above; the message is lo's own words. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final Head head;
    private final InputStream body;

    private PlainGet(Socket socket, Head head, InputStream body) {
        this.socket = socket;
        this.head = head;
        this.body = body;
    }

    /**
     * Connects, sends the GET and reads the status line and headers.
     *
     * @param method          GET or HEAD
     * @param uri             an {@code http://} URI
     * @param accept          the Accept header's value
     * @param connectTimeout  for the TCP connect
     * @param responseTimeout for the status line and all headers, from when the request is sent
     */
    static PlainGet open(String method, URI uri, String userAgent, String accept, Duration connectTimeout,
                         Duration responseTimeout) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("GET or HEAD only, not " + method);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a plain http:// URI: " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            int connectMillis = (int) Math.max(1, Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
            try {
                socket.connect(new InetSocketAddress(uri.getHost(), port), connectMillis);
            } catch (SocketTimeoutException e) {
                throw new ConnectException("no connection within " + connectMillis + " ms");
            }
            String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: " + host + (port == 80 ? "" : ":" + port)
                    + "\r\nUser-Agent: " + userAgent + "\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            long headDeadline = System.nanoTime() + Math.min(responseTimeout.toNanos(), Long.MAX_VALUE / 4);
            Head head = Head.read(in, socket, headDeadline);
            socket.setSoTimeout(0); // the body's deadline closes the socket (BoundedBody's guard)
            InputStream body = method.equals("HEAD") ? InputStream.nullInputStream() : head.chunked
                    ? new Chunked(in) : head.contentLength >= 0 ? new Limited(in, head.contentLength) : in;
            return new PlainGet(socket, head, new Closing(body, socket));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    int status() {
        return head.status;
    }

    /** The Content-Length, or -1 when the body is chunked or runs to the connection's end. */
    long contentLength() {
        return head.chunked ? -1 : head.contentLength;
    }

    /** A header's value (the last, when sent more than once), or null. */
    String header(String name) {
        return head.headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body, de-chunked; closing it closes the connection. */
    InputStream body() {
        return body;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a connection lo is done with: nothing to report
        }
    }

    /** The status line and the headers (names in lower case), within {@link #MAX_HEAD_BYTES}. */
    private record Head(int status, long contentLength, boolean chunked, Map<String, String> headers) {

        static Head read(InputStream in, Socket socket, long deadlineNanos) throws IOException {
            int[] used = {0};
            String statusLine = line(in, socket, deadlineNanos, used);
            // HTTP/1.1 200 OK
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new ProtocolException("answered with something other than an HTTP/1.x status line");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new ProtocolException("answered with a status line without a status code");
            }
            long contentLength = -1;
            boolean chunked = false;
            Map<String, String> headers = new HashMap<>();
            while (true) {
                String header = line(in, socket, deadlineNanos, used);
                if (header.isEmpty()) {
                    break;
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolException("sent a header line without a name");
                }
                String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).strip();
                headers.put(name, value);
                if (name.equals("content-length")) {
                    long declared;
                    try {
                        declared = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new ProtocolException("sent a Content-Length that is not a number");
                    }
                    if (declared < 0 || (contentLength >= 0 && contentLength != declared)) {
                        throw new ProtocolException("sent a negative or a second, different Content-Length");
                    }
                    contentLength = declared;
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                    if (!chunked) {
                        throw new ProtocolException("sent a Transfer-Encoding lo does not read");
                    }
                }
            }
            // 1xx answers are not expected for a GET without Expect; 204 and 304 have no body
            if (status == 204 || status == 304) {
                return new Head(status, 0, false, headers);
            }
            return new Head(status, contentLength, chunked, headers);
        }

        /** One CRLF- (or LF-) ended line, counted against the head's byte cap and deadline. */
        private static String line(InputStream in, Socket socket, long deadlineNanos, int[] used) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    throw new SocketTimeoutException("no status line and headers in time");
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining / 1_000_000)));
                int b = in.read();
                if (b < 0) {
                    throw new ProtocolException("closed the connection before the end of its headers");
                }
                if (++used[0] > MAX_HEAD_BYTES) {
                    throw new ProtocolException("sent more than " + MAX_HEAD_BYTES + " bytes of status line and headers");
                }
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) b);
            }
        }
    }

    /** A body of a known length: ends there (the connection may hold more, which is not read). */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** A chunked body, de-chunked; its framing lines bounded by {@link #MAX_CHUNK_LINE}. */
    static final class Chunked extends FilterInputStream {
        private long leftInChunk;
        private boolean ended;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (leftInChunk == 0) {
                String size = line();
                int semicolon = size.indexOf(';');
                try {
                    leftInChunk = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("sent a chunk without a size");
                }
                if (leftInChunk < 0) {
                    throw new ProtocolException("sent a chunk of negative size");
                }
                if (leftInChunk == 0) {
                    ended = true;
                    for (int trailers = 0; !line().isEmpty(); trailers++) {
                        if (trailers >= 64) {
                            throw new ProtocolException("sent more than 64 trailer lines");
                        }
                    }
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, leftInChunk));
            if (n < 0) {
                return -1; // ended inside a chunk: short, as the caller's size check says
            }
            leftInChunk -= n;
            if (leftInChunk == 0 && !line().isEmpty()) {
                throw new ProtocolException("sent a chunk longer than its size");
            }
            return n;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new ProtocolException("closed the connection inside a chunked body's framing");
                }
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() >= MAX_CHUNK_LINE) {
                    throw new ProtocolException("sent a chunk line longer than " + MAX_CHUNK_LINE + " bytes");
                }
                line.append((char) c);
            }
        }
    }

    /** Closing the body closes the connection. */
    private static final class Closing extends FilterInputStream {
        private final Socket socket;

        Closing(InputStream in, Socket socket) {
            super(in);
            this.socket = socket;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
