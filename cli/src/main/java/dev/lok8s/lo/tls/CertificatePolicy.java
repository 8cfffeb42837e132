package dev.lok8s.lo.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Decides, without I/O, whether the certificate on disk can be kept or a new one must be issued. */
public final class CertificatePolicy {

    /** Re-issue this long before expiry, so a cert never lapses between two provisions. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private CertificatePolicy() {
    }

    /** The outcome, with a one-line reason worth recording in an event. */
    public sealed interface Decision {
        String reason();

        record Keep(String reason) implements Decision {
        }

        record Issue(String reason) implements Decision {
        }
    }

    /**
     * @param current    the certificate in the store, if any
     * @param wantedSans every registry IP plus the framework host names
     * @param ca         mkcert's CA as it is now
     * @param now        the current time
     */
    public static Decision decide(Optional<X509Certificate> current, List<String> wantedSans, CaMaterial ca,
                                  Instant now) {
        Set<SubjectAltName> wanted = SubjectAltName.parseAll(wantedSans);
        if (current.isEmpty()) {
            return new Decision.Issue("no certificate yet");
        }
        X509Certificate cert = current.get();
        if (!signedBy(cert, ca)) {
            return new Decision.Issue("signed by a different CA");
        }
        Set<SubjectAltName> have = SubjectAltName.of(cert);
        if (!have.equals(wanted)) {
            return new Decision.Issue("SANs changed: " + difference(have, wanted));
        }
        Instant notBefore = cert.getNotBefore().toInstant();
        if (notBefore.isAfter(now)) {
            return new Decision.Issue("not valid until " + notBefore);
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        String expires = "expires " + LocalDate.ofInstant(notAfter, ZoneOffset.UTC);
        if (!notAfter.isAfter(now.plus(RENEW_BEFORE))) {
            return new Decision.Issue(expires + ", within " + RENEW_BEFORE.toDays() + " days");
        }
        return new Decision.Keep("same SANs and CA, " + expires);
    }

    private static boolean signedBy(X509Certificate cert, CaMaterial ca) {
        if (!cert.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(ca.certificate().getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** "+added -removed", each side sorted, so the same change always reads the same. */
    private static String difference(Set<SubjectAltName> have, Set<SubjectAltName> wanted) {
        var added = new TreeSet<>(wanted);
        added.removeAll(have);
        var removed = new TreeSet<>(have);
        removed.removeAll(wanted);
        return added.stream().map(s -> "+" + s).collect(Collectors.joining(" "))
                + (!added.isEmpty() && !removed.isEmpty() ? " " : "")
                + removed.stream().map(s -> "-" + s).collect(Collectors.joining(" "));
    }
}
