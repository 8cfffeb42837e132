package dev.lok8s.lo.upstream;

/**
 * A user name and secret for an upstream registry, as the Docker client keeps them. Never printed:
 * {@link #toString()} names the user only, so a log line or an exception that mentions the record
 * cannot carry the secret.
 *
 * @param server the key it was found under ({@code host[:port]}, or Docker Hub's {@link DockerLogins#DOCKER_HUB_KEY})
 */
public record UpstreamLogin(String server, String username, String secret) {

    /** Longer values are refused: no registry login is this long, and the mirror's config stays small. */
    static final int MAX_LENGTH = 8192;

    public UpstreamLogin {
        if (username == null || username.isEmpty() || secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a login needs a user name and a secret");
        }
        if (username.length() > MAX_LENGTH || secret.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("login for " + server + " is longer than " + MAX_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return "UpstreamLogin[server=" + server + ", username=" + username + ", secret=(hidden)]";
    }
}
