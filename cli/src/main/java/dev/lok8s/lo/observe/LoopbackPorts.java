package dev.lok8s.lo.observe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** Which loopback ports of this machine something already listens on, by trying to bind them. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** The ports of {@code ports} a bind on 127.0.0.1 fails for now (the socket is closed again at once). */
    public static Set<Integer> unbindable(Collection<Integer> ports) {
        Set<Integer> taken = new TreeSet<>();
        InetAddress loopback;
        try {
            loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("127.0.0.1 is not an address", e);
        }
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(loopback, port));
            } catch (IOException e) {
                taken.add(port);
            }
        }
        return taken;
    }
}
