package dev.lok8s.lo.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code cluster.lok8s.yaml} into a {@link ClusterSpec}: strict about the fields lo acts
 * on, silent about every other section (real specs carry bootstrap, oidc and more), and
 * reporting every problem of a file at once in a {@link SpecInvalidException}.
 */
public final class SpecParser {

    /** Larger than any real spec; checked before reading so a wrong -f cannot load a disk image. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    static final int MAX_NAME_LENGTH = 50;
    /** A Docker object name: what a network, and a mirror name inside a container name, must be. */
    static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    static final String RUNTIME_KIND = "kind";
    static final int SHARED_PREFIX_MIN = 16;
    static final int SHARED_PREFIX_MAX = 29;
    /** Non-shared mirrors sit on the project /24 after build (.101) and cache (.102). */
    static final int FIRST_PROJECT_MIRROR = 103;
    /** Below the dynamic range (.192 up) where kind nodes get their addresses. */
    static final int LAST_PROJECT_MIRROR = 191;

    public ClusterSpec parse(Path file, String domainArgument) {
        YamlTree tree = load(file);
        FieldReader fields = new FieldReader(tree.aliases());
        fields.addAll(tree.duplicateKeys());
        JsonNode root = tree.root();

        String apiVersion = fields.string(root, "", "apiVersion", ClusterSpec.API_VERSION);
        if (apiVersion == null && !FieldReader.isGiven(root, "apiVersion")) {
            fields.error("apiVersion", "is required; expected " + ClusterSpec.API_VERSION);
        } else if (apiVersion != null && !apiVersion.equals(ClusterSpec.API_VERSION)) {
            fields.error("apiVersion", "unknown apiVersion '" + apiVersion + "'; expected " + ClusterSpec.API_VERSION);
        }
        String kind = fields.string(root, "", "kind", ClusterSpec.KIND);
        if (kind == null && !FieldReader.isGiven(root, "kind")) {
            fields.error("kind", "is required; expected " + ClusterSpec.KIND);
        } else if (kind != null && !kind.equals(ClusterSpec.KIND)) {
            fields.error("kind", "unknown kind '" + kind + "'; expected " + ClusterSpec.KIND);
        }

        String name = metadataName(fields, fields.mapping(root, "", "metadata", "name: my-cluster"));
        JsonNode spec = fields.mapping(root, "", "spec", "network, registries, nodes, ...");
        String domain = domain(fields, spec, domainArgument);
        OptionalInt domainSlot = domainSlot(fields, domain, spec);

        JsonNode network = fields.mapping(spec, "spec", "network", "name and cidr");
        String networkName = networkName(fields, network, "spec.network");
        Cidr cidr = projectCidr(fields, network);
        int slot;
        if (cidr != null) {
            slot = cidr.thirdOctet();
        } else if (FieldReader.isGiven(network, "cidr")) {
            slot = -1; // given but invalid: already reported
        } else if (domainSlot.isPresent() && ProjectSlot.inRange(domainSlot.getAsInt())) {
            slot = domainSlot.getAsInt();
            cidr = ProjectSlot.subnet(slot);
        } else {
            slot = -1;
            if (domainSlot.isEmpty() && domain != null) {
                fields.error("spec.network.cidr", "is required for domain '" + domain + "': only "
                        + ClusterSpec.DEFAULT_DOMAIN + " and N." + ClusterSpec.DEFAULT_DOMAIN + " (N " + ProjectSlot.MIN
                        + ".." + ProjectSlot.MAX + ") imply a subnet; set a /24 such as 10.125.10.0/24");
            }
        }
        NetworkSpec projectNetwork = new NetworkSpec(networkName != null ? networkName : name, cidr);

        RegistriesSpec registries = registries(fields, spec, cidr);
        if (registries.shared() && registries.sharedNetwork().name().equals(projectNetwork.name())) {
            fields.error("spec.registries.shared.network.name", "'" + projectNetwork.name() + "' is the project"
                    + " network's name (spec.network.name); the shared network needs a name of its own, such as the"
                    + " default " + RegistriesSpec.DEFAULT_SHARED_NETWORK);
        }
        String runtime = runtime(fields, spec);
        String kubernetesVersion = fields.string(fields.mapping(spec, "spec", "kubernetes", "version"),
                "spec.kubernetes", "version", "\"v1.31.0\"");
        NodesSpec nodes = nodes(fields, spec);
        nodesFit(fields, nodes, cidr, registries);

        if (!fields.errors().isEmpty()) {
            throw new SpecInvalidException(file, fields.errors());
        }
        return new ClusterSpec(file.toAbsolutePath().normalize(), name, domain, slot, projectNetwork, registries,
                runtime, kubernetesVersion, nodes);
    }

    private static YamlTree load(Path file) {
        byte[] content;
        try {
            String other = notRegular(file);
            if (other != null) {
                // never opened: a FIFO would block, a device or /dev/zero would never end
                throw invalidFile(file, "is " + other + ", not a regular file; expected a cluster.lok8s.yaml file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw invalidFile(file, "is " + size + " bytes; a cluster.lok8s.yaml may be at most 1 MiB ("
                        + MAX_FILE_BYTES + " bytes)");
            }
            // the reported size is not trusted (a /proc file says 0): read at most one byte past the limit
            try (var in = Files.newInputStream(file)) {
                content = in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
            if (content.length > MAX_FILE_BYTES) {
                throw invalidFile(file, "holds more than 1 MiB (" + MAX_FILE_BYTES + " bytes), though its size"
                        + " reads " + size + "; a cluster.lok8s.yaml may be at most 1 MiB");
            }
        } catch (NoSuchFileException e) {
            throw invalidFile(file, "does not exist; check the path, or run lo from the project root");
        } catch (IOException e) {
            throw invalidFile(file, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); check its permissions");
        }
        YamlTree tree;
        try {
            tree = YamlTree.read(content);
        } catch (YamlTree.SyntaxException e) {
            throw invalidFile(file, e.getMessage());
        }
        if (tree.root() == null || tree.root().isNull()) {
            throw invalidFile(file, "is empty; expected a mapping with apiVersion: " + ClusterSpec.API_VERSION
                    + ", kind: " + ClusterSpec.KIND + ", metadata and spec");
        }
        if (!tree.root().isObject()) {
            throw invalidFile(file, "holds " + FieldReader.describe(tree.root()) + " at the top; expected a mapping "
                    + "with apiVersion: " + ClusterSpec.API_VERSION + ", kind: " + ClusterSpec.KIND
                    + ", metadata and spec");
        }
        return tree;
    }

    /**
     * What a path that exists is when it is not a regular file ("a directory", "a FIFO (named pipe)",
     * "a character device", ...), following links; null for a regular file or a path that does not exist.
     */
    static String notRegular(Path file) {
        if (Files.isRegularFile(file) || !Files.exists(file)) {
            return null;
        }
        if (Files.isDirectory(file)) {
            return "a directory";
        }
        try {
            int type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static SpecInvalidException invalidFile(Path file, String message) {
        return new SpecInvalidException(file, new SpecError("", message));
    }

    private static String metadataName(FieldReader fields, JsonNode metadata) {
        String name = fields.string(metadata, "metadata", "name", "my-cluster");
        if (name == null) {
            if (!FieldReader.isGiven(metadata, "name")) {
                fields.error("metadata.name", "is required; expected a name such as my-cluster (lower-case letters, "
                        + "digits and '-', at most " + MAX_NAME_LENGTH + " characters)");
            }
            return null;
        }
        if (!NAME.matcher(name).matches()) {
            fields.error("metadata.name", "'" + name + "' is not a valid name; use lower-case letters, digits and '-',"
                    + " starting with a letter or digit, such as my-cluster");
            return null;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            fields.error("metadata.name", "'" + name + "' is " + name.length() + " characters; at most "
                    + MAX_NAME_LENGTH + " are allowed, as it names a Docker network, containers and the kind cluster");
            return null;
        }
        return name;
    }

    private static String domain(FieldReader fields, JsonNode spec, String domainArgument) {
        JsonNode cluster = fields.mapping(spec, "spec", "cluster", "domain and other cluster settings");
        String fromSpec = fields.string(cluster, "spec.cluster", "domain", ClusterSpec.DEFAULT_DOMAIN);
        if (fromSpec != null) {
            if (!ProjectSlot.isDnsName(fromSpec)) {
                fields.error("spec.cluster.domain", "'" + fromSpec + "' is not a DNS name; expected a lower-case name"
                        + " such as " + ClusterSpec.DEFAULT_DOMAIN + " or 50." + ClusterSpec.DEFAULT_DOMAIN);
                return null;
            }
            return fromSpec;
        }
        if (FieldReader.isGiven(cluster, "domain")) {
            return null; // given with the wrong type: already reported
        }
        String argument = domainArgument == null || domainArgument.isBlank() ? ClusterSpec.DEFAULT_DOMAIN : domainArgument;
        if (!ProjectSlot.isDnsName(argument)) {
            fields.error("spec.cluster.domain", "is not set, and the DOMAIN argument '" + argument + "' is not a DNS"
                    + " name; pass a lower-case name such as " + ClusterSpec.DEFAULT_DOMAIN + " or 50."
                    + ClusterSpec.DEFAULT_DOMAIN);
            return null;
        }
        return argument;
    }

    private static OptionalInt domainSlot(FieldReader fields, String domain, JsonNode spec) {
        if (domain == null) {
            return OptionalInt.of(-1); // unusable domain, already reported; suppress the cidr-required error
        }
        OptionalInt slot = ProjectSlot.forDomain(domain);
        if (slot.isPresent() && !ProjectSlot.inRange(slot.getAsInt())) {
            boolean fromSpec = spec != null && spec.path("cluster").path("domain").isTextual();
            fields.error("spec.cluster.domain", (fromSpec ? "" : "is not set, and the DOMAIN argument ")
                    + "'" + domain + "' names slot " + slot.getAsInt() + "; N." + ClusterSpec.DEFAULT_DOMAIN
                    + " needs " + ProjectSlot.MIN + " <= N <= " + ProjectSlot.MAX + " (or " + ClusterSpec.DEFAULT_DOMAIN
                    + " for slot " + ProjectSlot.DEFAULT + ")");
        }
        return slot;
    }

    private static String networkName(FieldReader fields, JsonNode network, String path) {
        String name = fields.string(network, path, "name", "lok8s");
        if (name != null && !NETWORK_NAME.matcher(name).matches()) {
            fields.error(FieldReader.at(path, "name"), "'" + name + "' is not a valid Docker network name; use letters,"
                    + " digits, '_', '.' and '-', starting with a letter or digit, such as lok8s");
            return null;
        }
        return name;
    }

    /** The project subnet when given and valid; null otherwise (an error is recorded when given). */
    private static Cidr projectCidr(FieldReader fields, JsonNode network) {
        String path = "spec.network.cidr";
        String text = fields.string(network, "spec.network", "cidr", "\"10.125.125.0/24\"");
        Cidr cidr = cidr(fields, path, text, "10.125.125.0/24");
        if (cidr == null) {
            return null;
        }
        if (cidr.prefix() != 24) {
            String suggestion = new Cidr(Cidr.parseAddress(text.substring(0, text.indexOf('/'))), 24).toString();
            fields.error(path, "'" + text + "' is a /" + cidr.prefix() + "; the project subnet must be a /24 such as "
                    + suggestion);
            return null;
        }
        return networkAddressOnly(fields, path, text, cidr);
    }

    private static Cidr cidr(FieldReader fields, String path, String text, String example) {
        if (text == null) {
            return null;
        }
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            fields.error(path, "is not a valid IPv4 subnet: " + e.getMessage() + "; expected a.b.c.d/n such as "
                    + example);
            return null;
        }
    }

    private static Cidr networkAddressOnly(FieldReader fields, String path, String text, Cidr cidr) {
        if (Cidr.parseAddress(text.substring(0, text.indexOf('/'))) != cidr.network()) {
            fields.error(path, "'" + text + "' has host bits set; write the subnet by its network address: " + cidr);
            return null;
        }
        return cidr;
    }

    private static RegistriesSpec registries(FieldReader fields, JsonNode spec, Cidr projectCidr) {
        JsonNode registries = fields.mapping(spec, "spec", "registries", "shared, mirrors, tls, image, build, cache, prune");
        String base = "spec.registries";
        JsonNode shared = fields.mapping(registries, base, "shared", "enabled and network");
        Boolean enabled = fields.bool(shared, base + ".shared", "enabled");
        boolean sharedEnabled = enabled == null || enabled;

        JsonNode sharedNetwork = fields.mapping(shared, base + ".shared", "network", "name and cidr");
        String sharedName = networkName(fields, sharedNetwork, base + ".shared.network");
        String cidrPath = base + ".shared.network.cidr";
        String cidrText = fields.string(sharedNetwork, base + ".shared.network", "cidr", "\"10.125.200.0/24\"");
        boolean cidrGiven = cidrText != null;
        Cidr sharedCidr = cidrGiven ? sharedCidr(fields, cidrPath, cidrText)
                : FieldReader.isGiven(sharedNetwork, "cidr")
                        ? null : Cidr.parse(RegistriesSpec.DEFAULT_SHARED_CIDR);

        if (sharedEnabled && sharedCidr != null && projectCidr != null && sharedCidr.overlaps(projectCidr)) {
            if (cidrGiven) {
                fields.error(cidrPath, sharedCidr + " overlaps the project subnet " + projectCidr + " (spec.network.cidr);"
                        + " the shared network needs a range of its own, such as the default "
                        + RegistriesSpec.DEFAULT_SHARED_CIDR);
            } else {
                fields.error("spec.network.cidr", projectCidr + " overlaps the shared registry network "
                        + RegistriesSpec.DEFAULT_SHARED_CIDR + "; pick another project subnet (slot), or set "
                        + cidrPath + " to a range of its own");
            }
        }

        List<MirrorSpec> mirrors = mirrors(fields, registries, base);
        if (mirrors != null) {
            mirrorsFit(fields, mirrors.size(), sharedEnabled, sharedCidr, projectCidr);
        }
        Boolean tls = fields.bool(registries, base, "tls");
        String image = fields.string(registries, base, "image", RegistriesSpec.DEFAULT_IMAGE);
        if (image != null && image.chars().anyMatch(Character::isWhitespace)) {
            fields.error(base + ".image", "'" + image + "' contains whitespace; expected an image reference such as "
                    + RegistriesSpec.DEFAULT_IMAGE);
            image = null;
        }
        Integer buildHostPort = hostPort(fields, registries, base, "build");
        Integer cacheHostPort = hostPort(fields, registries, base, "cache");
        if (buildHostPort != null && buildHostPort.equals(cacheHostPort)) {
            fields.error(base + ".cache.hostPort", buildHostPort + " is also " + base + ".build.hostPort; build and "
                    + "cache need a port each: give cache another, or leave it out for the one its slot gives");
            cacheHostPort = null;
        }
        return new RegistriesSpec(sharedEnabled,
                new NetworkSpec(sharedName != null ? sharedName : RegistriesSpec.DEFAULT_SHARED_NETWORK, sharedCidr),
                mirrors != null ? mirrors : List.of(), tls != null && tls,
                image != null ? image : RegistriesSpec.DEFAULT_IMAGE, buildHostPort, cacheHostPort,
                pruneLimits(fields, registries, base));
    }

    /** {@code spec.registries.<registry>.hostPort}: the loopback port to publish it on, or null for the slot's. */
    private static Integer hostPort(FieldReader fields, JsonNode registries, String base, String registry) {
        String path = base + "." + registry;
        JsonNode node = fields.mapping(registries, base, registry, "hostPort");
        JsonNode given = node == null ? null : node.get("hostPort");
        if (given != null && given.isIntegralNumber() && given.canConvertToInt()
                && !RegistriesSpec.hostPortInRange(given.intValue())) {
            fields.error(path + ".hostPort", "is " + given.intValue() + "; expected a port from "
                    + RegistriesSpec.MIN_HOST_PORT + " to " + RegistriesSpec.MAX_HOST_PORT
                    + " (lower ones belong to system services), or leave it out for the one the slot gives");
            return null;
        }
        return fields.integer(node, path, "hostPort", RegistriesSpec.MIN_HOST_PORT);
    }

    /** {@code spec.registries.prune}: keepStorage (a size) and unusedFor (a duration), both optional. */
    private static CacheLimits pruneLimits(FieldReader fields, JsonNode registries, String base) {
        String path = base + ".prune";
        JsonNode cache = fields.mapping(registries, base, "prune", "keepStorage and unusedFor");
        String size = fields.string(cache, path, "keepStorage", "\"10GB\"");
        String age = fields.string(cache, path, "unusedFor", "\"30d\"");
        Long keep = null;
        Duration unused = null;
        if (size != null) {
            try {
                keep = CacheLimits.parseSize(size);
            } catch (IllegalArgumentException e) {
                fields.error(path + ".keepStorage", e.getMessage());
            }
        }
        if (age != null) {
            try {
                unused = CacheLimits.parseDuration(age);
            } catch (IllegalArgumentException e) {
                fields.error(path + ".unusedFor", e.getMessage());
            }
        }
        return new CacheLimits(keep, unused);
    }

    private static Cidr sharedCidr(FieldReader fields, String path, String text) {
        Cidr cidr = cidr(fields, path, text, RegistriesSpec.DEFAULT_SHARED_CIDR);
        if (cidr == null) {
            return null;
        }
        if (cidr.prefix() < SHARED_PREFIX_MIN || cidr.prefix() > SHARED_PREFIX_MAX) {
            fields.error(path, "'" + text + "' is a /" + cidr.prefix() + "; the shared network must be a /"
                    + SHARED_PREFIX_MIN + " to /" + SHARED_PREFIX_MAX + ", such as " + RegistriesSpec.DEFAULT_SHARED_CIDR);
            return null;
        }
        return networkAddressOnly(fields, path, text, cidr);
    }

    /** The mirrors, the standard four when the key is absent, or null when any entry is invalid. */
    private static List<MirrorSpec> mirrors(FieldReader fields, JsonNode registries, String base) {
        String path = base + ".mirrors";
        if (registries == null || !registries.has("mirrors")) {
            return MirrorSpec.STANDARD;
        }
        if (registries.get("mirrors").isNull()) {
            fields.error(path, "is empty (null); write 'mirrors: []' for no mirrors, or leave the key out for the"
                    + " standard four (io-docker, io-quay, io-k8s, io-ghcr)");
            return null;
        }
        JsonNode list = fields.value(registries, base, "mirrors");
        if (list == null) {
            return null;
        }
        if (!list.isArray()) {
            fields.error(path, "expected a list of mirrors, each with name and url (or [] for none), got "
                    + FieldReader.describe(list));
            return null;
        }
        List<MirrorSpec> mirrors = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        boolean valid = true;
        for (int i = 0; i < list.size(); i++) {
            String itemPath = FieldReader.at(path, i);
            JsonNode item = list.get(i);
            if (fields.aliasAt(item, itemPath)) {
                valid = false;
                continue;
            }
            if (!item.isObject()) {
                fields.error(itemPath, "expected a mapping with name and url, got " + FieldReader.describe(item));
                valid = false;
                continue;
            }
            String name = mirrorName(fields, item, itemPath, firstIndex, i);
            URI url = mirrorUrl(fields, item, itemPath);
            if (name == null || url == null) {
                valid = false;
            } else {
                mirrors.add(new MirrorSpec(name, url));
            }
        }
        return valid ? mirrors : null;
    }

    private static String mirrorName(FieldReader fields, JsonNode item, String itemPath,
                                     Map<String, Integer> firstIndex, int index) {
        String path = itemPath + ".name";
        String name = fields.string(item, itemPath, "name", "io-docker");
        if (name == null) {
            if (!FieldReader.isGiven(item, "name")) {
                fields.error(path, "is required; expected a mirror name such as io-docker");
            }
            return null;
        }
        if (!NAME.matcher(name).matches()) {
            fields.error(path, "'" + name + "' is not a valid mirror name; use lower-case letters, digits and '-',"
                    + " starting with a letter or digit, such as io-docker");
            return null;
        }
        if (RegistriesSpec.RESERVED_MIRROR_NAMES.contains(name)) {
            fields.error(path, "'" + name + "' is reserved for the framework's per-project registries; they ship"
                    + " implicitly, don't list them in mirrors");
            return null;
        }
        Integer first = firstIndex.putIfAbsent(name, index);
        if (first != null) {
            fields.error(path, "duplicate mirror name '" + name + "': mirrors[" + first + "] and mirrors[" + index
                    + "] are both named '" + name + "'; give each mirror a unique name");
            return null;
        }
        return name;
    }

    private static URI mirrorUrl(FieldReader fields, JsonNode item, String itemPath) {
        String path = itemPath + ".url";
        String given = fields.string(item, itemPath, "url", "https://registry-1.docker.io");
        if (given == null) {
            if (!FieldReader.isGiven(item, "url")) {
                fields.error(path, "is required; expected the upstream registry URL, such as https://registry-1.docker.io");
            }
            return null;
        }
        // never echo a password or token: every message below shows the URL with those parts masked
        String text = withoutUserInfo(given);
        URI url;
        try {
            url = new URI(given.strip());
        } catch (URISyntaxException e) {
            fields.error(path, "'" + text + "' is not a URL (" + withoutUserInfo(e.getReason()) + "); expected an"
                    + " http(s) URL such as https://registry-1.docker.io");
            return null;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            fields.error(path, "'" + text + "' is not an http or https URL; expected one such as "
                    + "https://registry-1.docker.io");
            return null;
        }
        if (url.getRawUserInfo() != null || (url.getHost() == null && url.getRawAuthority() != null
                && url.getRawAuthority().contains("@"))) {
            fields.error(path, "'" + text + "' carries user credentials; lo keeps no registry credentials (the spec"
                    + " and every event are readable): remove the user:password@ part. A mirror logs in with the login"
                    + " docker login stored for its upstream (see docs/spec.md)");
            return null;
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            fields.error(path, "'" + text + "' has no host; expected an http(s) URL with a host, such as "
                    + "https://registry-1.docker.io");
            return null;
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            fields.error(path, "'" + text + "' has a " + (url.getRawQuery() != null ? "query (?...)" : "fragment (#...)")
                    + "; a registry URL is a scheme, a host, an optional port and path, such as"
                    + " https://registry-1.docker.io (tokens and credentials do not belong in it)");
            return null;
        }
        return url;
    }

    /**
     * The URL text with anything between {@code //} and {@code @} replaced by {@code ***}, and its query and
     * fragment by {@code ?...} / {@code #...}: where credentials and tokens would be.
     */
    static String withoutUserInfo(String url) {
        return url == null ? null : url.replaceAll("(?<=//)[^/?#]*@", "***@").replaceAll("\\?[^#]*", "?...")
                .replaceAll("#.*", "#...");
    }

    private static void mirrorsFit(FieldReader fields, int count, boolean sharedEnabled, Cidr sharedCidr,
                                   Cidr projectCidr) {
        String path = "spec.registries.mirrors";
        if (sharedEnabled && sharedCidr != null) {
            // .0 is the network, .1 Docker's gateway; the upper quarter is for nodes' dynamic addresses
            long room = sharedCidr.firstDynamicOffset() - 2;
            if (count > room) {
                fields.error(path, count + " mirrors do not fit on the shared network " + sharedCidr + ", which has room"
                        + " for " + room + " (" + sharedCidr.host(2) + " to " + sharedCidr.host(sharedCidr.firstDynamicOffset() - 1)
                        + "); list fewer mirrors or use a larger spec.registries.shared.network.cidr");
            }
        } else if (!sharedEnabled && projectCidr != null) {
            int room = LAST_PROJECT_MIRROR - FIRST_PROJECT_MIRROR + 1;
            if (count > room) {
                fields.error(path, count + " mirrors do not fit on the project subnet " + projectCidr + ", which has room"
                        + " for " + room + " (" + projectCidr.host(FIRST_PROJECT_MIRROR) + " to "
                        + projectCidr.host(LAST_PROJECT_MIRROR) + ") with shared.enabled: false; list fewer mirrors"
                        + " or enable the shared network");
            }
        }
    }

    private static String runtime(FieldReader fields, JsonNode spec) {
        String runtime = fields.string(spec, "spec", "runtime", RUNTIME_KIND);
        if (runtime != null && !runtime.equals(RUNTIME_KIND)) {
            fields.error("spec.runtime", "unsupported runtime '" + runtime + "'; the only runtime is " + RUNTIME_KIND);
        }
        return RUNTIME_KIND;
    }

    /**
     * kind nodes take dynamic addresses from the upper quarter of the project subnet, and of the shared
     * network when it is on: more nodes than that range holds can never start (and a huge count would only
     * exhaust memory while planning).
     */
    private static void nodesFit(FieldReader fields, NodesSpec nodes, Cidr projectCidr, RegistriesSpec registries) {
        long count = (long) nodes.controlPlane() + nodes.workers();
        String what = count + " nodes (" + nodes.controlPlane() + " control plane + " + nodes.workers() + " workers)";
        if (projectCidr != null && count > dynamicRoom(projectCidr)) {
            fields.error("spec.nodes", what + " do not fit the dynamic range of the project subnet " + projectCidr
                    + ", which holds " + dynamicRoom(projectCidr) + " (" + dynamicSpan(projectCidr) + "); use fewer"
                    + " workers");
            return;
        }
        Cidr shared = registries.sharedNetwork().cidr();
        if (registries.shared() && shared != null && count > dynamicRoom(shared)) {
            fields.error("spec.nodes", what + " do not fit the dynamic range of the shared network " + shared
                    + ", which holds " + dynamicRoom(shared) + " (" + dynamicSpan(shared) + ") for the nodes of every"
                    + " project; use fewer workers or a larger spec.registries.shared.network.cidr");
        }
    }

    /** Addresses in the dynamic range: the upper quarter, less the broadcast address. */
    private static long dynamicRoom(Cidr cidr) {
        return cidr.size() - cidr.firstDynamicOffset() - 1;
    }

    private static String dynamicSpan(Cidr cidr) {
        return cidr.host(cidr.firstDynamicOffset()) + " to " + cidr.host((int) cidr.size() - 2);
    }

    private static NodesSpec nodes(FieldReader fields, JsonNode spec) {
        JsonNode nodes = fields.mapping(spec, "spec", "nodes", "controlPlane and workers");
        Integer controlPlane = fields.integer(nodes, "spec.nodes", "controlPlane", 1);
        Integer workers = fields.integer(nodes, "spec.nodes", "workers", 0);
        return new NodesSpec(controlPlane != null ? controlPlane : NodesSpec.DEFAULT.controlPlane(),
                workers != null ? workers : NodesSpec.DEFAULT.workers());
    }
}
