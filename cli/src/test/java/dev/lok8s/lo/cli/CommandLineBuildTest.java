package dev.lok8s.lo.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line build carries none of the service's machinery: every lo command but serve
 * starts without building REST, OpenAPI, health or metrics (they live in the serve/ build).
 */
class CommandLineBuildTest {

    @Test
    void theServiceExtensionsAreNotOnTheCommandLineClassPath() {
        List<String> serviceOnly = List.of(
                "io.quarkus.vertx.http.runtime.VertxHttpRecorder",          // the HTTP server
                "org.jboss.resteasy.reactive.server.core.Deployment",        // REST
                "io.smallrye.openapi.api.SmallRyeOpenAPI",                    // OpenAPI
                "io.smallrye.health.SmallRyeHealthReporter",                  // health
                "io.micrometer.core.instrument.MeterRegistry");              // metrics
        for (String name : serviceOnly) {
            assertThat(isPresent(name)).as("%s on the command line's class path", name).isFalse();
        }
    }

    @Test
    void thePageIsNotInTheCommandLineBuild() {
        // the page's files (serve/src/main/resources/META-INF/resources) belong to the service build alone
        for (String resource : List.of("META-INF/resources/index.html", "META-INF/resources/page/app.js")) {
            assertThat(CommandLineBuildTest.class.getClassLoader().getResource(resource))
                    .as("%s on the command line's class path", resource).isNull();
        }
    }

    @Test
    void serveIsListedAndPointsToTheServiceBuild() {
        var picocli = new picocli.CommandLine(new LoCommand());
        assertThat(picocli.getSubcommands()).containsKey("serve");
        Object serve = picocli.getSubcommands().get("serve").getCommand();
        assertThat(serve).isInstanceOf(ServeHintCommand.class);
        assertThat(ServeHintCommand.MESSAGE).contains("deploy/lo serve").doesNotContain("\n");
    }

    @Test
    void everyCommandAnswersHelp() {
        var picocli = new picocli.CommandLine(new LoCommand());
        for (String command : picocli.getSubcommands().keySet()) {
            var out = new java.io.StringWriter();
            var err = new java.io.StringWriter();
            int code = new picocli.CommandLine(new LoCommand()).setOut(new java.io.PrintWriter(out))
                    .setErr(new java.io.PrintWriter(err)).execute(command, "--help");
            assertThat(code).as("lo %s --help: %s", command, err).isZero();
            assertThat(out.toString()).as("lo %s --help", command).startsWith("Usage: lo " + command);
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, CommandLineBuildTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
