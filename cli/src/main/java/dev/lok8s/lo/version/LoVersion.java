package dev.lok8s.lo.version;

/** This build's version (the jar manifest's), recorded with every event and printed by {@code lo --version}. */
public final class LoVersion {

    private LoVersion() {
    }

    public static String current() {
        String v = LoVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
