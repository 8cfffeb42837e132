package dev.lok8s.lo.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET (or HEAD) on a connection of its own ({@code Connection: close}), over plain HTTP or
 * TLS: a few hundred bytes of request, a status line and headers read by hand, then the body straight
 * from the socket. The warm reads manifests and blobs from a plain-HTTP mirror with it, and the upstream
 * checks ask upstreams with it. The JDK's HTTP client moves every body through its selector thread and
 * a queue of buffers, and in a JVM that lives for one command that code runs cold: reading 90 MB took it
 * 2.4-3.2 s where this read takes 0.6-0.8 s, and building the client alone costs a fresh JVM 0.1-0.6 s
 * (docs/benchmarks.md).
 * <p>
 * Bounded like every answer lo reads from a peer: the TCP connect within its timeout; the TLS handshake,
 * the status line and all headers within the response timeout, counted from the connect; at most
 * {@link #MAX_HEAD_BYTES} of status line and headers; a chunked body's size lines at most
 * {@link #MAX_CHUNK_LINE} bytes. A body is either read whole by {@link #readAtMost}, within the same
 * deadline (so the whole exchange ends by connect timeout + response timeout), or streamed with the
 * caller's own bounds ({@code BoundedBody.drain} in the warm); closing the body closes the connection,
 * which stops a blocked read. Redirects are not followed.
 * <p>
 * Over TLS it trusts what the JDK's default {@code SSLContext} trusts, verifies the host name as HTTPS
 * does ({@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")}) and sends it as SNI.
 */
public final class Http1Exchange implements AutoCloseable {

    /** The status line and all headers together. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;
    /** One line of a chunked body's framing (a size, with any extension; a trailer). */
    public static final int MAX_CHUNK_LINE = 1024;
    private static final int BUFFER = 256 * 1024;

    /** The peer's answer broke HTTP/1.1 or one of the bounds above; the message is lo's own words. */
    public static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final Head head;
    private final InputStream body;
    private final long deadlineNanos;

    private Http1Exchange(Socket socket, Head head, InputStream body, long deadlineNanos) {
        this.socket = socket;
        this.head = head;
        this.body = body;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Connects, sends the request with a User-Agent and an Accept header and reads the status line and
     * headers; plain {@code http://} only.
     */
    public static Http1Exchange open(String method, URI uri, String userAgent, String accept, Duration connectTimeout,
                                     Duration responseTimeout) throws IOException {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not a plain http:// URI: " + uri);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", userAgent);
        headers.put("Accept", accept);
        return open(method, uri, headers, connectTimeout, responseTimeout);
    }

    /**
     * Connects (over TLS for {@code https://}), sends the request and reads the status line and headers.
     *
     * @param method          GET or HEAD
     * @param uri             an {@code http://} or {@code https://} URI
     * @param headers         sent as given, after Host; names and values must not hold CR or LF
     * @param connectTimeout  for the TCP connect
     * @param responseTimeout for the TLS handshake, the status line and all headers (and a body read by
     *                        {@link #readAtMost}), from when the connection is made
     */
    public static Http1Exchange open(String method, URI uri, Map<String, String> headers, Duration connectTimeout,
                                     Duration responseTimeout) throws IOException {
        return open(method, uri, headers, connectTimeout, responseTimeout, null);
    }

    /** As above, over TLS with {@code tls}'s sockets (null: the JDK's default {@code SSLContext}'s). */
    static Http1Exchange open(String method, URI uri, Map<String, String> headers, Duration connectTimeout,
                              Duration responseTimeout, SSLSocketFactory tls) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("GET or HEAD only, not " + method);
        }
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        if (!(secure || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http:// or https:// URI: " + uri);
        }
        StringBuilder request = new StringBuilder(256);
        String hostHeader = uri.getHost(); // an IPv6 literal keeps its brackets here
        int defaultPort = secure ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append(port == defaultPort ? "" : ":" + port).append("\r\n");
        headers.forEach((name, value) -> {
            if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0
                    || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a header name or value with a line break or a colon in its name");
            }
            request.append(name).append(": ").append(value).append("\r\n");
        });
        request.append("Connection: close\r\n\r\n");
        String host = hostHeader.startsWith("[") && hostHeader.endsWith("]")
                ? hostHeader.substring(1, hostHeader.length() - 1) : hostHeader;
        Socket plain = new Socket();
        Socket socket = plain;
        try {
            socket.setTcpNoDelay(true);
            int connectMillis = (int) Math.max(1, Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
            try {
                socket.connect(new InetSocketAddress(host, port), connectMillis);
            } catch (SocketTimeoutException e) {
                throw new ConnectException("no connection within " + connectMillis + " ms");
            }
            long deadline = System.nanoTime() + Math.min(responseTimeout.toNanos(), Long.MAX_VALUE / 4);
            if (secure) {
                socket = handshake(tls == null ? (SSLSocketFactory) SSLSocketFactory.getDefault() : tls,
                        socket, host, port, deadline);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            Head head = Head.read(in, socket, deadline);
            socket.setSoTimeout(0); // a streamed body's deadline closes the socket (BoundedBody's guard)
            InputStream body = method.equals("HEAD") ? InputStream.nullInputStream() : head.chunked
                    ? new Chunked(in) : head.contentLength >= 0 ? new Limited(in, head.contentLength) : in;
            return new Http1Exchange(socket, head, new Closing(body, socket), deadline);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** TLS over {@code plain}: the JDK's default trust, the host name verified as HTTPS does and sent as SNI. */
    private static Socket handshake(SSLSocketFactory factory, Socket plain, String host, int port, long deadlineNanos)
            throws IOException {
        SSLSocket tls = (SSLSocket) factory.createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.contains(":") && !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(parameters);
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no TLS handshake in time");
        }
        tls.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining / 1_000_000)));
        tls.startHandshake();
        return tls;
    }

    /**
     * The body, read whole up to {@code max} bytes (one more tells the caller it was longer) within the
     * exchange's deadline; then the connection is closed.
     */
    public byte[] readAtMost(int max) throws IOException {
        try (InputStream in = body) {
            byte[] buffer = new byte[Math.min(max + 1, 8192)];
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            while (read.size() <= max) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    throw new SocketTimeoutException("no whole body in time");
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining / 1_000_000)));
                int n = in.read(buffer, 0, Math.min(buffer.length, max + 1 - read.size()));
                if (n < 0) {
                    break;
                }
                read.write(buffer, 0, n);
            }
            return read.toByteArray();
        }
    }

    public int status() {
        return head.status;
    }

    /** The Content-Length, or -1 when the body is chunked or runs to the connection's end. */
    public long contentLength() {
        return head.chunked ? -1 : head.contentLength;
    }

    /** A header's value (the last, when sent more than once), or null. */
    public String header(String name) {
        List<String> values = head.headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.getLast();
    }

    /** A header's first value, or null. */
    public String firstHeader(String name) {
        List<String> values = head.headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.getFirst();
    }

    /** The body, de-chunked; closing it closes the connection. */
    public InputStream body() {
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
    private record Head(int status, long contentLength, boolean chunked, Map<String, List<String>> headers) {

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
            Map<String, List<String>> headers = new HashMap<>();
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
                headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
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
    private static final class Chunked extends FilterInputStream {
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
