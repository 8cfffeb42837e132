package dev.lok8s.lo.tls;

import org.bouncycastle.asn1.x509.GeneralName;

import java.net.Inet6Address;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Subject Alternative Name, normalised so that a name read back from a certificate equals the
 * name that was asked for: an IP literal is an iPAddress entry, anything else a dNSName.
 */
record SubjectAltName(Kind kind, String value) implements Comparable<SubjectAltName> {

    enum Kind { IP, DNS }

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern DNS = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");

    /** @throws IllegalArgumentException when the entry is neither an IP literal nor a host name */
    static SubjectAltName parse(String entry) {
        String s = entry == null ? "" : entry.strip();
        if (IPV4.matcher(s).matches()) {
            return new SubjectAltName(Kind.IP, s);
        }
        if (s.contains(":")) {
            try {
                // ofLiteral never resolves a name; getHostAddress gives the form the JDK reads back
                return new SubjectAltName(Kind.IP, Inet6Address.ofLiteral(s).getHostAddress());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a valid SAN: '" + entry + "'", e);
            }
        }
        String name = s.toLowerCase(Locale.ROOT);
        if (name.length() > 253 || !DNS.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid SAN: '" + entry + "' (expected an IP address or a host name)");
        }
        return new SubjectAltName(Kind.DNS, name);
    }

    /** Parsed and de-duplicated, in the given order. */
    static Set<SubjectAltName> parseAll(List<String> entries) {
        var sans = new LinkedHashSet<SubjectAltName>();
        for (String entry : entries) {
            sans.add(parse(entry));
        }
        if (sans.isEmpty()) {
            throw new IllegalArgumentException("a registry certificate needs at least one SAN");
        }
        return sans;
    }

    /** The certificate's IP and DNS SANs; other kinds (e-mail, URI) are not lo's and are left out. */
    static Set<SubjectAltName> of(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable SAN extension in " + certificate.getSubjectX500Principal(), e);
        }
        var sans = new LinkedHashSet<SubjectAltName>();
        if (names == null) {
            return sans;
        }
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            String value = String.valueOf(name.get(1));
            if (type == GeneralName.iPAddress) {
                sans.add(parse(value));
            } else if (type == GeneralName.dNSName) {
                sans.add(new SubjectAltName(Kind.DNS, value.toLowerCase(Locale.ROOT)));
            }
        }
        return sans;
    }

    GeneralName toGeneralName() {
        return new GeneralName(kind == Kind.IP ? GeneralName.iPAddress : GeneralName.dNSName, value);
    }

    @Override
    public int compareTo(SubjectAltName other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
