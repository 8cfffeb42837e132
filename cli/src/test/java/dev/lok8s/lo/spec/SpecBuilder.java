package dev.lok8s.lo.spec;

import dev.lok8s.lo.plan.HostPortRule;
import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The one way tests make a {@code cluster.lok8s.yaml}: unit and integration tests alike. It writes the
 * YAML text a user would write, holding only the fields a test sets (everything else is left to the
 * parser's defaults), and gives the parsed {@link ClusterSpec} by running that text through the real
 * {@link SpecParser}, so a fixture cannot drift from the format. It does not validate: a test that needs a
 * spec the parser refuses sets the bad value and writes it.
 *
 * <pre>{@code
 * SpecBuilder.named("lotest-a").network("lotest-a", "10.213.130.0/24").shared(false)
 *         .mirrors("io-docker", "http://10.213.130.150:5000").writeProject(root, "a.lok8s.test");
 * ClusterSpec spec = SpecBuilder.slot(50).shared(false).spec();
 * }</pre>
 */
public final class SpecBuilder {

    /** The project directory of the documentation's example, for plans that need one (certs.d, TLS files). */
    public static final Path PROJECT_DIR = Path.of("/home/dev/lok8s/clusters/lok8s.dev");

    /** The header of a spec named {@code demo}: what the parser tests put before the text they test. */
    public static final String HEADER = header("demo");

    private final String name;
    private String domain;
    private String networkName;
    private String networkCidr;
    private Boolean shared;
    private String sharedName;
    private String sharedCidr;
    private List<String[]> mirrors;
    private Boolean tls;
    private String image;
    private String kubernetesVersion;
    private Integer controlPlane;
    private Integer workers;
    private String specText;
    private Integer buildHostPort;
    private Integer cacheHostPort;

    private SpecBuilder(String name) {
        this.name = name;
    }

    /** A spec with {@code metadata.name} and nothing else: every other field takes the parser's default. */
    public static SpecBuilder named(String name) {
        return new SpecBuilder(name);
    }

    /** The documentation's {@code lok8s.dev} project: slot 125, the shared network, the four standard mirrors. */
    public static SpecBuilder defaultCluster() {
        return named("lok8s");
    }

    /** {@code lok8s-<slot>} on {@code <slot>.lok8s.dev}, network {@code lok8s-<slot>} on {@code 10.125.<slot>.0/24}. */
    public static SpecBuilder slot(int slot) {
        return named("lok8s-" + slot).domain(slot + "." + ClusterSpec.DEFAULT_DOMAIN)
                .network("lok8s-" + slot, "10.125." + slot + ".0/24");
    }

    /** {@code apiVersion}, {@code kind} and {@code metadata.name}, as a spec file starts. */
    public static String header(String name) {
        return "apiVersion: " + ClusterSpec.API_VERSION + "\nkind: " + ClusterSpec.KIND + "\nmetadata:\n  name: "
                + name + "\n";
    }

    // fields

    /** {@code spec.cluster.domain}; unset, the domain comes from the DOMAIN argument (or lok8s.dev). */
    public SpecBuilder domain(String domain) {
        this.domain = domain;
        return this;
    }

    /** {@code spec.network.name} and {@code spec.network.cidr}. */
    public SpecBuilder network(String name, String cidr) {
        this.networkName = name;
        this.networkCidr = cidr;
        return this;
    }

    /** {@code spec.network.cidr} alone (the network is then named after the project). */
    public SpecBuilder networkCidr(String cidr) {
        this.networkCidr = cidr;
        return this;
    }

    /** {@code spec.registries.shared.enabled}. */
    public SpecBuilder shared(boolean shared) {
        this.shared = shared;
        return this;
    }

    /** {@code spec.registries.shared.network}: name and cidr; either may be null to leave it to the default. */
    public SpecBuilder sharedNetwork(String name, String cidr) {
        this.sharedName = name;
        this.sharedCidr = cidr;
        return this;
    }

    /** {@code spec.registries.mirrors} as pairs of name, url; no pairs writes {@code mirrors: []}. */
    public SpecBuilder mirrors(String... nameUrlPairs) {
        if (nameUrlPairs.length % 2 != 0) {
            throw new IllegalArgumentException("mirrors come as pairs of name, url");
        }
        this.mirrors = new ArrayList<>();
        for (int i = 0; i < nameUrlPairs.length; i += 2) {
            mirrors.add(new String[] {nameUrlPairs[i], nameUrlPairs[i + 1]});
        }
        return this;
    }

    /** Appends one mirror to those already set (or to an empty list). */
    public SpecBuilder mirror(String name, String url) {
        if (mirrors == null) {
            mirrors = new ArrayList<>();
        }
        mirrors.add(new String[] {name, url});
        return this;
    }

    /** {@code spec.registries.tls}. */
    public SpecBuilder tls(boolean tls) {
        this.tls = tls;
        return this;
    }

    /** {@code spec.registries.image}. */
    public SpecBuilder image(String image) {
        this.image = image;
        return this;
    }

    /** {@code spec.kubernetes.version}. */
    public SpecBuilder kubernetesVersion(String version) {
        this.kubernetesVersion = version;
        return this;
    }

    /** {@code spec.nodes.controlPlane} and {@code spec.nodes.workers}. */
    public SpecBuilder nodes(int controlPlane, int workers) {
        this.controlPlane = controlPlane;
        this.workers = workers;
        return this;
    }

    /**
     * The {@code spec:} section verbatim (indented under it), instead of the fields above: for the parser
     * tests, whose subject is text the builder does not produce (wrong types, nulls, anchors, ...). Null
     * writes no {@code spec:} key.
     */
    public SpecBuilder specText(String body) {
        this.specText = body;
        return this;
    }

    // results

    /** The file's text. */
    public String yaml() {
        StringBuilder out = new StringBuilder(header(name));
        if (specText != null) {
            return out.append("spec:\n").append(specText.stripTrailing().indent(2)).toString();
        }
        StringBuilder spec = new StringBuilder();
        if (domain != null) {
            spec.append("  cluster:\n    domain: ").append(quote(domain)).append('\n');
        }
        if (networkName != null || networkCidr != null) {
            spec.append("  network:\n");
            line(spec, "    name", networkName);
            line(spec, "    cidr", networkCidr);
        }
        StringBuilder registries = new StringBuilder();
        if (tls != null) {
            registries.append("    tls: ").append(tls).append('\n');
        }
        line(registries, "    image", image);
        if (shared != null || sharedName != null || sharedCidr != null) {
            registries.append("    shared:\n");
            if (shared != null) {
                registries.append("      enabled: ").append(shared).append('\n');
            }
            if (sharedName != null || sharedCidr != null) {
                registries.append("      network:\n");
                line(registries, "        name", sharedName);
                line(registries, "        cidr", sharedCidr);
            }
        }
        if (mirrors != null) {
            registries.append(mirrors.isEmpty() ? "    mirrors: []\n" : "    mirrors:\n");
            for (String[] mirror : mirrors) {
                registries.append("      - name: ").append(quote(mirror[0])).append('\n');
                registries.append("        url: ").append(quote(mirror[1])).append('\n');
            }
        }
        if (buildHostPort != null) {
            registries.append("    build:\n      hostPort: ").append(buildHostPort).append('\n');
        }
        if (cacheHostPort != null) {
            registries.append("    cache:\n      hostPort: ").append(cacheHostPort).append('\n');
        }
        if (!registries.isEmpty()) {
            spec.append("  registries:\n").append(registries);
        }
        if (kubernetesVersion != null) {
            spec.append("  kubernetes:\n    version: ").append(quote(kubernetesVersion)).append('\n');
        }
        if (controlPlane != null) {
            spec.append("  nodes:\n    controlPlane: ").append(controlPlane).append("\n    workers: ").append(workers)
                    .append('\n');
        }
        return spec.isEmpty() ? out.toString() : out.append("spec:\n").append(spec).toString();
    }

    /** Writes the file (creating its directory) and returns its path. */
    public Path writeTo(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return Files.writeString(file, yaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code <dir>/cluster.lok8s.yaml}. */
    public Path writeIn(Path dir) {
        return writeTo(dir.resolve(SpecLocator.FILE_NAME));
    }

    /** Writes {@code <root>/clusters/<domain>/cluster.lok8s.yaml}, where {@code lo provision <domain>} in root finds it. */
    public Path writeProject(Path root, String domain) {
        return writeIn(root.resolve("clusters").resolve(domain));
    }

    /** The spec as {@code lo} reads it, with no DOMAIN argument. */
    public ClusterSpec spec() {
        return spec(null);
    }

    /**
     * The spec as {@code lo} reads it: the text, written to a temporary file, through the real parser.
     * Throws the parser's {@link SpecInvalidException} when the text is not a valid spec.
     */
    public ClusterSpec spec(String domainArgument) {
        try {
            Path dir = Files.createTempDirectory("lo-spec-");
            Path file = writeIn(dir);
            try {
                return new SpecParser().parse(file, domainArgument);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plan of {@link #spec()} for a project in {@link #PROJECT_DIR}, with the default settings. */
    public RegistryPlan plan() {
        return Planner.plan(spec(), PlanSettings.of(PROJECT_DIR));
    }

    /** The plan of {@link #spec()} for a project in {@link #PROJECT_DIR} with this host port rule. */
    public RegistryPlan plan(HostPortRule hostPorts) {
        return Planner.plan(spec(), PlanSettings.of(PROJECT_DIR).withHostPorts(hostPorts));
    }

    /** {@code spec.registries.build.hostPort} and {@code spec.registries.cache.hostPort}; null leaves one out. */
    public SpecBuilder hostPorts(Integer build, Integer cache) {
        this.buildHostPort = build;
        this.cacheHostPort = cache;
        return this;
    }

    private static void line(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append(key).append(": ").append(quote(value)).append('\n');
        }
    }

    /** A YAML double-quoted scalar (JSON escaping), so a value is always read as the string written. */
    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    // parser tests

    /** Spec files in one directory, numbered, for tests of the parser itself; parses and collects errors. */
    public static SpecFiles in(Path dir) {
        return new SpecFiles(dir);
    }

    /** See {@link #in}. */
    public static final class SpecFiles {
        private final Path dir;
        private int files;

        private SpecFiles(Path dir) {
            this.dir = dir;
        }

        /** A file holding the {@link #HEADER} and, when given, a spec section with the body indented under it. */
        public Path withSpec(String specBody) {
            return write(named("demo").specText(specBody).yaml());
        }

        /** A file holding exactly {@code content}. */
        public Path write(String content) {
            try {
                return Files.writeString(dir.resolve("cluster-" + (++files) + ".lok8s.yaml"), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public ClusterSpec parse(Path file) {
            return new SpecParser().parse(file, null);
        }

        public ClusterSpec parse(Path file, String domain) {
            return new SpecParser().parse(file, domain);
        }

        /** The parser's refusal of a file; fails when the file parses. */
        public SpecInvalidException invalid(Path file, String domain) {
            SpecInvalidException thrown = catchThrowableOfType(SpecInvalidException.class,
                    () -> new SpecParser().parse(file, domain));
            assertThat(thrown).as("parsing %s should fail", file.getFileName()).isNotNull();
            return thrown;
        }

        /** The errors of a spec body that must not parse. */
        public List<SpecError> errorsOf(String specBody) {
            return invalid(withSpec(specBody), null).errors();
        }
    }

    /** The one error at a path; fails when there is none or several. */
    public static SpecError errorAt(List<SpecError> errors, String path) {
        List<SpecError> at = errors.stream().filter(e -> e.path().equals(path)).toList();
        assertThat(at).as("errors at %s among %s", path, errors).hasSize(1);
        return at.getFirst();
    }
}
