package dev.lok8s.lo.observe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which loopback ports of this machine something already holds, by binding a socket to each for an
 * instant. The socket never listens (a client socket, bound and closed), so nothing can connect to it and
 * no port is opened; a bind fails all the same when another socket is bound to the port, listening on
 * 127.0.0.1 or on every address.
 */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** The ports of {@code ports} a bind on 127.0.0.1 fails for now (the socket is closed again at once). */
    public static Set<Integer> unbindable(Collection<Integer> ports) {
        Set<Integer> taken = new TreeSet<>();
        InetAddress loopback;
        try {
            loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("127.0.0.1 is not an address", e);
        }
        for (int port : ports) {
            try (Socket socket = new Socket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(loopback, port));
            } catch (IOException e) {
                taken.add(port);
            }
        }
        return taken;
    }
}
