package dev.lok8s.lo.cli;

import picocli.CommandLine.IVersionProvider;

public class LoVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"lo " + current()};
    }

    public static String current() {
        String v = LoVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
