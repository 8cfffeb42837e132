package dev.lok8s.lo.cli;

import dev.lok8s.lo.version.LoVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code lo --version}. */
public class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"lo " + LoVersion.current()};
    }
}
