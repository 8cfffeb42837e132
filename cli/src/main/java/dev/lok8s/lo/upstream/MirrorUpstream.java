package dev.lok8s.lo.upstream;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.MirrorMode;

import java.net.URI;

/**
 * One mirror's upstream as lo finds it now: the mode it allows and the login the mirror uses.
 *
 * @param container        the mirror's container
 * @param upstream         its upstream URL
 * @param mode             proxy when the upstream answers, offline when it does not
 * @param login            the login the mirror gets in its config file; null for none. Its secret goes
 *                         nowhere else ({@link UpstreamLogin#toString()} hides it)
 * @param loginFingerprint the login's keyed fingerprint ({@link LoginKey}); null without a login
 * @param loginState       what lo knows of the login
 * @param problem          what is wrong with the login and its fix; null when nothing is
 * @param unreachable      why the upstream did not answer; null when it did
 */
public record MirrorUpstream(String container, String upstream, MirrorMode mode, UpstreamLogin login,
                             String loginFingerprint, LoginState loginState, Reason problem, String unreachable) {

    /** Whether the login is known (a failing helper leaves it unknown: the mirror keeps what it has). */
    public boolean loginKnown() {
        return loginState != LoginState.UNREADABLE;
    }

    /**
     * The decision, pure: the mode from whether the upstream answered, the login's state from what the
     * configuration holds and what the upstream said.
     *
     * @param fingerprint the login's fingerprint when {@code found} is a stored login, else ignored
     */
    public static MirrorUpstream decide(String container, String upstream, DockerLogins.Found found,
                                        UpstreamCheck.Answer answer, String fingerprint) {
        MirrorMode mode = answer.reachable() ? MirrorMode.PROXY : MirrorMode.OFFLINE;
        String unreachable = answer.reachable() ? null : answer.error();
        String host = hostOf(upstream);
        String login = loginCommand(found.server(), host);
        return switch (found) {
            case DockerLogins.Stored stored -> answer.asksBasicLogin()
                    ? basic(container, upstream, mode, host, unreachable)
                    : new MirrorUpstream(container, upstream, mode, stored.login(), fingerprint,
                    answer.tokenRefused() ? LoginState.REFUSED : LoginState.USED,
                    answer.tokenRefused() ? Reason.of("upstream " + host + " refuses the login of user '"
                            + stored.login().username() + "' that the Docker configuration holds for " + found.server(),
                            login) : null, unreachable);
            case DockerLogins.Nothing nothing -> answer.asksBasicLogin()
                    ? basic(container, upstream, mode, host, unreachable)
                    : answer.tokenRefused()
                    ? new MirrorUpstream(container, upstream, mode, null, null, LoginState.MISSING,
                    Reason.of("upstream " + host + " asks for a login and the Docker configuration has none for "
                            + found.server(), login), unreachable)
                    : new MirrorUpstream(container, upstream, mode, null, null, LoginState.ANONYMOUS, null, unreachable);
            case DockerLogins.IdentityToken token -> new MirrorUpstream(container, upstream, mode, null, null,
                    LoginState.UNUSABLE, Reason.of("the Docker configuration holds an identity token (a single sign-on "
                    + "login) for " + found.server() + ", which a pull-through mirror cannot use: it pulls anonymously",
                    login.replace("docker login", "docker login -u USER") + " with a password or access token"),
                    unreachable);
            case DockerLogins.Helper helper -> throw new IllegalArgumentException(
                    "ask credential helper " + helper.helper() + " before deciding");
            case DockerLogins.Unreadable bad -> new MirrorUpstream(container, upstream, mode, null, null,
                    LoginState.UNREADABLE, Reason.of("cannot read the login for " + found.server() + ": " + bad.why(),
                    "fix the Docker configuration or its credential helper, then run lo registry up"), unreachable);
        };
    }

    /**
     * An upstream that asks for an HTTP Basic login: a distribution pull-through mirror sends its login only
     * to a token service (its proxy keeps credentials for the token realms the upstream names), so no login
     * helps; the mirror runs anonymously.
     */
    private static MirrorUpstream basic(String container, String upstream, MirrorMode mode, String host,
                                        String unreachable) {
        return new MirrorUpstream(container, upstream, mode, null, null, LoginState.UNSUPPORTED,
                Reason.of("upstream " + host + " asks for an HTTP Basic login, which a pull-through mirror cannot send "
                        + "(it logs in through a token service only, as Docker Hub, ghcr.io and quay.io use)",
                        "put a token service in front of " + host + ", or push its images to the project's cache "
                                + "registry"), unreachable);
    }

    /** The command that stores a login for this key: plain {@code docker login} for Docker Hub. */
    static String loginCommand(String server, String host) {
        return DockerLogins.DOCKER_HUB_KEY.equals(server) ? "docker login" : "docker login " + host;
    }

    private static String hostOf(String upstream) {
        URI uri = URI.create(upstream);
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public String toString() {
        return "MirrorUpstream[" + container + " " + upstream + " " + mode + " login " + loginState
                + (loginFingerprint == null ? "" : " " + loginFingerprint.substring(0, Math.min(12, loginFingerprint.length()))) + "]";
    }
}
