package dev.lok8s.lo.spec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.lok8s.lo.spec.SpecBuilder.errorAt;
import static org.assertj.core.api.Assertions.assertThat;

class SpecParserErrorsTest {

    @TempDir
    Path dir;
    SpecBuilder.SpecFiles fixture;

    @BeforeEach
    void setUp() {
        fixture = SpecBuilder.in(dir);
    }

    // --- header ---

    @Test
    void unknown_api_version_and_kind_name_the_expected_values() {
        List<SpecError> errors = fixture.invalid(fixture.write("""
                apiVersion: cluster.lok8s.dev/v1
                kind: Cluster
                metadata: {name: demo}
                """), null).errors();

        assertThat(errorAt(errors, "apiVersion").message()).as("apiVersion")
                .contains("'cluster.lok8s.dev/v1'", "expected cluster.lok8s.dev/v1beta1");
        assertThat(errorAt(errors, "kind").message()).as("kind").contains("'Cluster'", "expected Lo");
    }

    @Test
    void missing_api_version_kind_and_name_are_required() {
        List<SpecError> errors = fixture.invalid(fixture.write("kind:\nspec: {}\n"), null).errors();

        assertThat(errorAt(errors, "apiVersion").message()).as("apiVersion").contains("required", "cluster.lok8s.dev/v1beta1");
        assertThat(errorAt(errors, "kind").message()).as("null kind is missing").contains("required", "Lo");
        assertThat(errorAt(errors, "metadata.name").message()).as("name").contains("required", "my-cluster");
    }

    @Test
    void metadata_name_must_be_a_short_lower_case_name() {
        List<SpecError> invalid = fixture.invalid(fixture.write(SpecBuilder.HEADER.replace("demo", "My_Cluster")), null).errors();
        List<SpecError> tooLong = fixture.invalid(fixture.write(SpecBuilder.HEADER.replace("demo", "a".repeat(51))), null).errors();
        List<SpecError> number = fixture.invalid(fixture.write(SpecBuilder.HEADER.replace("demo", "2024")), null).errors();

        assertThat(errorAt(invalid, "metadata.name").message()).as("pattern")
                .contains("'My_Cluster'", "lower-case letters, digits and '-'");
        assertThat(errorAt(tooLong, "metadata.name").message()).as("length").contains("51 characters", "at most 50");
        assertThat(errorAt(number, "metadata.name").message()).as("a number is not a string")
                .contains("expected a string", "the number 2024", "quote it");
        assertThat(fixture.parse(fixture.write(SpecBuilder.HEADER.replace("demo", "a".repeat(50)))).name())
                .as("50 characters is fine").hasSize(50);
    }

    // --- project network ---

    @Test
    void project_subnet_must_be_a_24() {
        SpecInvalidException thrown = fixture.invalid(fixture.withSpec("""
                network:
                  cidr: "10.125.125.0/16"
                """), null);

        assertThat(errorAt(thrown.errors(), "spec.network.cidr").message()).as("message")
                .isEqualTo("'10.125.125.0/16' is a /16; the project subnet must be a /24 such as 10.125.125.0/24");
        assertThat(thrown.getMessage()).as("whole line").endsWith(
                ": spec.network.cidr: '10.125.125.0/16' is a /16; the project subnet must be a /24 such as 10.125.125.0/24");
    }

    @Test
    void project_cidr_that_is_not_a_cidr_is_reported_with_an_example() {
        assertThat(errorAt(fixture.errorsOf("network: {cidr: 10.125.125/24}"), "spec.network.cidr").message())
                .as("three octets").contains("not a valid IPv4 subnet", "10.125.125.0/24");
        assertThat(errorAt(fixture.errorsOf("network: {cidr: 10.125.125.0}"), "spec.network.cidr").message())
                .as("no prefix").contains("no prefix length", "a.b.c.d/n");
        assertThat(errorAt(fixture.errorsOf("network: {cidr: 10.125.300.0/24}"), "spec.network.cidr").message())
                .as("octet too large").contains("above 255");
        assertThat(errorAt(fixture.errorsOf("network: {cidr: 24}"), "spec.network.cidr").message())
                .as("a number").contains("expected a string", "10.125.125.0/24");
        assertThat(errorAt(fixture.errorsOf("network: {cidr: ''}"), "spec.network.cidr").message())
                .as("empty").contains("is empty");
    }

    @Test
    void project_cidr_with_host_bits_names_the_network_address() {
        assertThat(errorAt(fixture.errorsOf("network: {cidr: 10.125.125.7/24}"), "spec.network.cidr").message())
                .as("host bits").contains("host bits", "10.125.125.0/24");
    }

    @Test
    void project_network_name_must_be_a_docker_network_name() {
        assertThat(errorAt(fixture.errorsOf("network: {name: -lok8s}"), "spec.network.name").message())
                .as("leading dash").contains("'-lok8s'", "not a valid Docker network name", "such as lok8s");
        assertThat(errorAt(fixture.errorsOf("network: {name: 'a b'}"), "spec.network.name").message())
                .as("space").contains("'a b'");
    }

    // --- domain and slot ---

    @Test
    void numbered_domains_outside_2_to_199_name_the_range() {
        for (String domain : List.of("1.lok8s.dev", "200.lok8s.dev", "0.lok8s.dev")) {
            SpecInvalidException thrown = fixture.invalid(fixture.withSpec(null), domain);
            assertThat(errorAt(thrown.errors(), "spec.cluster.domain").message()).as(domain)
                    .contains("'" + domain + "'", "DOMAIN argument", "2 <= N <= 199");
            assertThat(thrown.errors()).as("no second error about the cidr for %s", domain).hasSize(1);
        }
        assertThat(errorAt(fixture.errorsOf("cluster: {domain: 300.lok8s.dev}"), "spec.cluster.domain").message())
                .as("from spec.cluster.domain").startsWith("'300.lok8s.dev' names slot 300");
    }

    @Test
    void a_domain_of_neither_form_needs_a_cidr() {
        SpecInvalidException thrown = fixture.invalid(fixture.withSpec(null), "dev.example.com");

        assertThat(errorAt(thrown.errors(), "spec.network.cidr").message()).as("cidr required")
                .contains("required for domain 'dev.example.com'", "10.125.10.0/24");
    }

    @Test
    void a_domain_that_is_not_a_dns_name_is_rejected() {
        assertThat(errorAt(fixture.invalid(fixture.withSpec(null), "../etc").errors(), "spec.cluster.domain").message())
                .as("argument").contains("'../etc'", "not a DNS name");
        assertThat(errorAt(fixture.errorsOf("cluster: {domain: Lok8s_Dev}"), "spec.cluster.domain").message())
                .as("spec").contains("'Lok8s_Dev'", "lok8s.dev");
    }

    // --- shared network ---

    @Test
    void shared_cidr_prefix_must_be_16_to_29() {
        for (String cidr : List.of("10.125.200.0/30", "10.124.0.0/15", "10.125.200.0/32")) {
            String message = errorAt(fixture.errorsOf("registries: {shared: {network: {cidr: " + cidr + "}}}"),
                    "spec.registries.shared.network.cidr").message();
            assertThat(message).as(cidr).contains("'" + cidr + "'", "/16 to /29", "10.125.200.0/24");
        }
        assertThat(fixture.parse(fixture.withSpec("registries: {shared: {network: {cidr: 10.125.200.0/29}}, mirrors: []}"))
                .registries().sharedNetwork().cidr().prefix()).as("/29 is allowed").isEqualTo(29);
    }

    @Test
    void shared_cidr_that_is_missing_or_invalid_is_reported() {
        assertThat(errorAt(fixture.errorsOf("registries: {shared: {network: {cidr: nope}}}"),
                "spec.registries.shared.network.cidr").message()).as("invalid").contains("'nope'", "10.125.200.0/24");
        assertThat(errorAt(fixture.errorsOf("registries: {shared: {network: {cidr: ' '}}}"),
                "spec.registries.shared.network.cidr").message()).as("blank").contains("is empty");
    }

    @Test
    void shared_network_name_must_be_a_docker_network_name() {
        assertThat(errorAt(fixture.errorsOf("registries: {shared: {network: {name: 'lok8s/registries'}}}"),
                "spec.registries.shared.network.name").message()).as("slash").contains("'lok8s/registries'");
    }

    @Test
    void the_shared_network_cannot_take_the_project_networks_name() {
        assertThat(errorAt(fixture.errorsOf("""
                network: {name: lok8s}
                registries: {shared: {network: {name: lok8s}}}
                """), "spec.registries.shared.network.name").message()).as("same name")
                .contains("'lok8s' is the project network's name", "lok8s-registries");
        assertThat(fixture.parse(fixture.withSpec("""
                network: {name: lok8s}
                registries: {shared: {enabled: false, network: {name: lok8s}}}
                """)).registries().shared()).as("parses when shared is off").isFalse();
    }

    @Test
    void overlapping_subnets_are_rejected_when_shared_is_enabled() {
        String given = errorAt(fixture.errorsOf("""
                network: {cidr: 10.125.125.0/24}
                registries: {shared: {network: {cidr: 10.125.0.0/16}}}
                """), "spec.registries.shared.network.cidr").message();
        String defaulted = errorAt(fixture.errorsOf("network: {cidr: 10.125.200.0/24}"), "spec.network.cidr").message();

        assertThat(given).as("given shared cidr").contains("10.125.0.0/16 overlaps the project subnet 10.125.125.0/24");
        assertThat(defaulted).as("default shared cidr").contains("overlaps the shared registry network 10.125.200.0/24");
    }

    @Test
    void enabled_and_tls_must_be_booleans() {
        List<SpecError> errors = fixture.errorsOf("""
                registries:
                  tls: "true"
                  shared: {enabled: yes}
                """);

        assertThat(errorAt(errors, "spec.registries.tls").message()).as("quoted true")
                .contains("expected true or false", "the string 'true'");
        assertThat(errorAt(errors, "spec.registries.shared.enabled").message()).as("YAML 1.1 yes")
                .contains("expected true or false", "'yes'");
        assertThat(errorAt(fixture.errorsOf("registries: {tls: 1}"), "spec.registries.tls").message())
                .as("number").contains("expected true or false", "the number 1");
    }

    // --- mirrors ---

    @Test
    void mirror_names_must_be_lower_case_names() {
        assertThat(errorAt(fixture.errorsOf("registries: {mirrors: [{name: Io_Docker, url: 'https://x.io'}]}"),
                "spec.registries.mirrors[0].name").message()).as("pattern").contains("'Io_Docker'", "such as io-docker");
    }

    @Test
    void build_and_cache_are_reserved() {
        List<SpecError> errors = fixture.errorsOf("""
                registries:
                  mirrors:
                    - {name: io-docker, url: 'https://registry-1.docker.io'}
                    - {name: build, url: 'https://a.io'}
                    - {name: cache, url: 'https://b.io'}
                """);

        for (String path : List.of("spec.registries.mirrors[1].name", "spec.registries.mirrors[2].name")) {
            assertThat(errorAt(errors, path).message()).as(path).contains("reserved for the framework's per-project"
                    + " registries; they ship implicitly, don't list them in mirrors");
        }
    }

    @Test
    void duplicate_mirror_names_name_both_indexes() {
        List<SpecError> errors = fixture.errorsOf("""
                registries:
                  mirrors:
                    - {name: io-docker, url: 'https://registry-1.docker.io'}
                    - {name: io-quay, url: 'https://quay.io'}
                    - {name: io-docker, url: 'https://mirror.gcr.io'}
                """);

        assertThat(errorAt(errors, "spec.registries.mirrors[2].name").message()).as("duplicate")
                .contains("duplicate mirror name 'io-docker'", "mirrors[0]", "mirrors[2]");
        assertThat(errors).as("one error only").hasSize(1);
    }

    @Test
    void mirror_url_is_required_and_must_be_http_with_a_host() {
        List<SpecError> errors = fixture.errorsOf("""
                registries:
                  mirrors:
                    - {name: a}
                    - {name: b, url: 'ftp://x.io'}
                    - {name: c, url: 'registry-1.docker.io'}
                    - {name: d, url: 'https:///v2'}
                    - {name: e, url: 'https://x y'}
                    - {name: f, url: 5}
                """);

        assertThat(errorAt(errors, "spec.registries.mirrors[0].url").message()).as("missing")
                .contains("required", "https://registry-1.docker.io");
        assertThat(errorAt(errors, "spec.registries.mirrors[1].url").message()).as("ftp").contains("'ftp://x.io'", "http or https");
        assertThat(errorAt(errors, "spec.registries.mirrors[2].url").message()).as("no scheme").contains("http or https");
        assertThat(errorAt(errors, "spec.registries.mirrors[3].url").message()).as("no host").contains("has no host");
        assertThat(errorAt(errors, "spec.registries.mirrors[4].url").message()).as("space").contains("is not a URL");
        assertThat(errorAt(errors, "spec.registries.mirrors[5].url").message()).as("number").contains("expected a string");
    }

    @Test
    void mirror_urls_with_credentials_a_query_or_a_fragment_are_refused_without_echoing_the_secret() {
        List<SpecError> errors = fixture.errorsOf("""
                registries:
                  mirrors:
                    - {name: a, url: 'https://alice:s3cr3t@registry-1.docker.io'}
                    - {name: b, url: 'https://alice@quay.io/v2'}
                    - {name: c, url: 'https://ghcr.io?token=s3cr3t'}
                    - {name: d, url: 'https://ghcr.io/#s3cr3t'}
                    - {name: e, url: 'https://alice:s3 cr3t@quay.io'}
                """);

        assertThat(errorAt(errors, "spec.registries.mirrors[0].url").message()).as("user:password")
                .startsWith("'https://***@registry-1.docker.io' carries user credentials")
                .contains("remove the user:password@ part", "docs/spec.md");
        assertThat(errorAt(errors, "spec.registries.mirrors[1].url").message()).as("user only")
                .contains("carries user credentials");
        assertThat(errorAt(errors, "spec.registries.mirrors[2].url").message()).as("query").contains("has a query");
        assertThat(errorAt(errors, "spec.registries.mirrors[3].url").message()).as("fragment").contains("has a fragment");
        assertThat(errorAt(errors, "spec.registries.mirrors[4].url").message()).as("unparsable, still masked")
                .contains("https://***@quay.io");
        assertThat(errors).as("no message repeats a secret").allSatisfy(e -> assertThat(e.message())
                .doesNotContain("s3cr3t").doesNotContain("s3 cr3t").doesNotContain("alice"));
    }

    @Test
    void missing_mirror_name_is_required() {
        assertThat(errorAt(fixture.errorsOf("registries: {mirrors: [{url: 'https://quay.io'}]}"),
                "spec.registries.mirrors[0].name").message()).as("missing").contains("required", "io-docker");
    }

    @Test
    void too_many_mirrors_for_the_shared_subnet() {
        String mirrors = IntStream.range(0, 6).mapToObj(i -> "    - {name: m" + i + ", url: 'https://m" + i + ".io'}")
                .collect(Collectors.joining("\n"));
        List<SpecError> errors = fixture.errorsOf("registries:\n  shared: {network: {cidr: 10.125.200.0/29}}\n"
                + "  mirrors:\n" + mirrors);

        assertThat(errorAt(errors, "spec.registries.mirrors").message())
                .as("/29 holds four: its upper quarter is left to the nodes' dynamic addresses")
                .contains("6 mirrors", "10.125.200.0/29", "room for 4", "10.125.200.2 to 10.125.200.5");
    }

    @Test
    void too_many_mirrors_for_the_project_subnet() {
        String mirrors = IntStream.range(0, 90).mapToObj(i -> "    - {name: m" + i + ", url: 'https://m.io'}")
                .collect(Collectors.joining("\n"));
        List<SpecError> errors = fixture.errorsOf("network: {cidr: 10.125.50.0/24}\nregistries:\n"
                + "  shared: {enabled: false}\n  mirrors:\n" + mirrors);

        assertThat(errorAt(errors, "spec.registries.mirrors").message())
                .as(".103 to .191 holds 89: .192 and up are the nodes' dynamic addresses")
                .contains("90 mirrors", "room for 89", "10.125.50.103 to 10.125.50.191");
        assertThat(fixture.parse(fixture.withSpec("network: {cidr: 10.125.50.0/24}\nregistries:\n"
                + "  shared: {enabled: false}\n  mirrors:\n" + mirrors.substring(0, mirrors.lastIndexOf('\n'))))
                .registries().mirrors()).as("89 fit").hasSize(89);
    }

    @Test
    void wrong_section_types_are_errors_at_their_path() {
        assertThat(errorAt(fixture.errorsOf("registries: 5"), "spec.registries").message()).as("registries")
                .contains("expected a mapping", "the number 5");
        assertThat(errorAt(fixture.errorsOf("registries: {mirrors: {}}"), "spec.registries.mirrors").message())
                .as("mirrors").contains("expected a list", "a mapping");
        assertThat(errorAt(fixture.errorsOf("registries: {mirrors: [io-docker]}"), "spec.registries.mirrors[0]")
                .message()).as("mirror item").contains("expected a mapping with name and url", "'io-docker'");
        assertThat(errorAt(fixture.errorsOf("network: [a]"), "spec.network").message()).as("network").contains("a list");
        assertThat(errorAt(fixture.invalid(fixture.write(SpecBuilder.HEADER + "spec: text\n"), null).errors(), "spec")
                .message()).as("spec").contains("expected a mapping", "'text'");
        assertThat(errorAt(fixture.invalid(fixture.write("apiVersion: cluster.lok8s.dev/v1beta1\nkind: Lo\n"
                + "metadata: demo\n"), null).errors(), "metadata").message()).as("metadata").contains("expected a mapping");
    }

    @Test
    void a_null_mirror_list_is_ambiguous() {
        assertThat(errorAt(fixture.errorsOf("registries:\n  mirrors:\n"), "spec.registries.mirrors").message())
                .as("null").contains("mirrors: []", "leave the key out");
    }

    // --- runtime, kubernetes, nodes ---

    @Test
    void only_the_kind_runtime_is_supported() {
        assertThat(errorAt(fixture.errorsOf("runtime: k3d"), "spec.runtime").message()).as("runtime")
                .contains("'k3d'", "only runtime is kind");
    }

    @Test
    void kubernetes_version_must_be_a_string() {
        assertThat(errorAt(fixture.errorsOf("kubernetes: {version: 1.31}"), "spec.kubernetes.version").message())
                .as("1.31 is a float in YAML").contains("the number 1.31", "quote it");
    }

    @Test
    void node_counts_must_be_whole_numbers_in_range() {
        List<SpecError> errors = fixture.errorsOf("nodes: {controlPlane: 0, workers: 1.5}");

        assertThat(errorAt(errors, "spec.nodes.controlPlane").message()).as("zero control planes")
                .contains("is 0", "at least 1");
        assertThat(errorAt(errors, "spec.nodes.workers").message()).as("fraction").contains("whole number", "1.5");
        assertThat(errorAt(fixture.errorsOf("nodes: {workers: -1}"), "spec.nodes.workers").message())
                .as("negative").contains("at least 0");
        assertThat(errorAt(fixture.errorsOf("nodes: {workers: '2'}"), "spec.nodes.workers").message())
                .as("string").contains("the string '2'");
        assertThat(errorAt(fixture.errorsOf("nodes: {workers: 99999999999}"), "spec.nodes.workers").message())
                .as("too large").contains("too large");
        assertThat(errorAt(fixture.errorsOf("nodes: {workers: 010}"), "spec.nodes.workers").message())
                .as("octal-looking").contains("'010'");
    }

    @Test
    void nodes_are_bounded_by_the_dynamic_range_they_take_addresses_from() {
        assertThat(errorAt(fixture.errorsOf("nodes: {workers: 2147483647}"), "spec.nodes").message())
                .as("the largest int: an error, not an OutOfMemoryError")
                .isEqualTo("2147483648 nodes (1 control plane + 2147483647 workers) do not fit the dynamic range of"
                        + " the project subnet 10.125.125.0/24, which holds 63 (10.125.125.192 to 10.125.125.254);"
                        + " use fewer workers");
        assertThat(errorAt(fixture.errorsOf("nodes: {controlPlane: 2147483647, workers: 2147483647}"), "spec.nodes")
                .message()).as("no int overflow").startsWith("4294967294 nodes");
        assertThat(fixture.parse(fixture.withSpec("nodes: {controlPlane: 3, workers: 60}")).nodes().workers())
                .as("63 fit a /24").isEqualTo(60);
        assertThat(errorAt(fixture.errorsOf("nodes: {workers: 63}"), "spec.nodes").message()).as("64 do not")
                .startsWith("64 nodes");
        assertThat(errorAt(fixture.errorsOf("registries: {shared: {network: {cidr: 10.125.200.0/28}}}\n"
                + "nodes: {workers: 3}"), "spec.nodes").message()).as("a /28 shared network holds 3 node addresses")
                .contains("4 nodes", "shared network 10.125.200.0/28", "holds 3", "10.125.200.12 to 10.125.200.14");
        assertThat(fixture.parse(fixture.withSpec("registries: {shared: {enabled: false, network: {cidr: 10.125.200.0/28}}}\n"
                + "nodes: {workers: 3}")).nodes().workers()).as("the shared range only counts when it is on")
                .isEqualTo(3);
    }

    @Test
    void control_characters_in_values_are_escaped_and_huge_values_cut() {
        SpecInvalidException escape = fixture.invalid(fixture.write(SpecBuilder.HEADER.replace("demo",
                "\"evil\\e[2J\\e]0;owned\\a\"")), null);
        assertThat(escape.getMessage()).as("no raw escape reaches the terminal or the log")
                .doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("'evil\\u001b[2J\\u001b]0;owned\\u0007' is not a valid name");

        String huge = "a".repeat(100_000);
        SpecInvalidException big = fixture.invalid(fixture.write(SpecBuilder.HEADER.replace("demo", huge)), null);
        assertThat(big.getMessage().length()).as("a 100 KB name is not echoed whole").isLessThan(1_000);
        assertThat(errorAt(big.errors(), "metadata.name").message()).contains("more characters]")
                .contains("100000 characters; at most 50");
    }

    @Test
    void the_errors_shown_are_capped_and_the_rest_counted() {
        String mirrors = IntStream.range(0, 900).mapToObj(i -> "    - {name: BAD_" + i + ", url: 'https://m.io'}")
                .collect(Collectors.joining("\n"));
        SpecInvalidException thrown = fixture.invalid(fixture.withSpec("registries:\n  mirrors:\n" + mirrors), null);

        assertThat(thrown.errors()).as("every error is still known").hasSize(900);
        List<String> lines = thrown.getMessage().lines().toList();
        assertThat(lines).as("20 errors and a count").hasSize(SpecInvalidException.MAX_SHOWN + 1);
        assertThat(lines.getLast()).endsWith("... and 880 more errors (fix the ones above and run again)");
        assertThat(thrown.getMessage().length()).as("not 1 MB of errors").isLessThan(10_000);
    }

    // --- YAML details ---

    @Test
    void aliases_in_fields_lo_reads_are_refused() {
        List<SpecError> errors = fixture.errorsOf("""
                oidc: {cidr: &net 10.125.125.0/24}
                network:
                  cidr: *net
                """);

        assertThat(errorAt(errors, "spec.network.cidr").message()).as("alias").contains("alias *net", "write the value out");
    }

    @Test
    void duplicate_keys_are_reported_with_their_lines() {
        List<SpecError> errors = fixture.errorsOf("""
                network:
                  cidr: 10.125.125.0/24
                  cidr: 10.125.126.0/24
                """);

        assertThat(errorAt(errors, "spec.network.cidr").message()).as("duplicate").contains("line 8", "first at line 7");
    }

    // --- all at once ---

    @Test
    void every_error_of_a_file_is_reported_at_once() {
        Path file = fixture.write("""
                apiVersion: cluster.lok8s.dev/v1beta1
                kind: Lo
                metadata:
                  name: Demo
                spec:
                  network:
                    cidr: 10.125.125.0/16
                  registries:
                    tls: "true"
                    mirrors:
                      - {name: build, url: 'https://a.io'}
                      - {name: ok, url: 'ftp://b.io'}
                  nodes: {workers: -2}
                """);

        SpecInvalidException thrown = fixture.invalid(file, null);

        assertThat(thrown.errors()).extracting(SpecError::path).as("paths in file order").containsExactly(
                "metadata.name", "spec.network.cidr", "spec.registries.mirrors[0].name",
                "spec.registries.mirrors[1].url", "spec.registries.tls", "spec.nodes.workers");
        assertThat(thrown.getMessage().lines()).as("one line per error").hasSize(6)
                .allSatisfy(line -> assertThat(line).as("line").startsWith(file + ": "));
        assertThat(thrown.file()).as("file").isEqualTo(file);
    }
}
