package dev.lok8s.lo.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A peer on a loopback port written byte by byte: it reads each request's head, records it, and answers
 * as the test says (or stalls, or sends without end), so a client's bounds can be checked.
 */
public final class RawPeer implements AutoCloseable {

    /** What the peer does with one request (after reading its head). */
    public interface Answer {
        void answer(String requestHead, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Answer answer;

    private RawPeer(ServerSocket server, Answer answer) {
        this.server = server;
        this.answer = answer;
    }

    public static RawPeer start(Answer answer) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        RawPeer peer = new RawPeer(server, answer);
        Thread.ofVirtual().start(peer::serve);
        return peer;
    }

    private void serve() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> {
                try (s) {
                    String head = head(s.getInputStream());
                    if (head != null) {
                        requests.add(head);
                        answer.answer(head, s.getOutputStream());
                    }
                } catch (IOException | InterruptedException e) {
                    // the client went away: what the tests check
                }
            });
        }
    }

    /** The request's head, to the blank line; null when the client closed before. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.write(c);
            state = (c == '\r' || c == '\n') ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The heads of the requests received, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
