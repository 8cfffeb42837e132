package dev.lok8s.lo.upstream;

import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one rule on upstreams in planned networks the machine does not have: every caller of
 * {@link MirrorUpstreams} gets it (status and doctor call {@code resolve(plan)} as provision does), and
 * the pull budget of a mirror lo does not ask is unknown. No request leaves the machine: the upstreams
 * asked here are a fake on 127.0.0.1.
 */
class MirrorUpstreamsTest {

    static final String NETWORK = "lotest-mu";
    static final String CIDR = "10.213.197.0/24";

    @TempDir
    Path state;

    private static RegistryPlan plan(String upstream) {
        return SpecBuilder.named(NETWORK).network(NETWORK, CIDR).shared(false).mirrors("io-docker", upstream).plan();
    }

    private MirrorUpstreams upstreams(List<String> present, AtomicInteger asked) {
        return new MirrorUpstreams(Map.of("HOME", state.toString()), state, Duration.ofSeconds(2),
                Duration.ofSeconds(3), () -> {
            asked.incrementAndGet();
            return present;
        });
    }

    @Test
    void anUpstreamInAPlannedNetworkTheMachineLacksIsNotAskedByAnyCaller() {
        RegistryPlan plan = plan("http://10.213.197.150:5000");
        AtomicInteger asked = new AtomicInteger();
        MirrorUpstreams upstreams = upstreams(List.of(), asked);

        MirrorUpstream upstream = upstreams.resolve(plan).values().iterator().next();
        assertThat(upstream.mode()).isEqualTo(MirrorMode.OFFLINE);
        assertThat(upstream.unreachable()).as("the reason")
                .isEqualTo("its address is in " + CIDR + ", a network not created yet");

        PullBudget budget = upstreams.budgets(plan).values().iterator().next();
        assertThat(budget.state()).isEqualTo(PullBudget.State.UNKNOWN);
        assertThat(budget.reason()).contains("not asked", "a network not created yet");
        assertThat(asked.get()).as("the machine's networks were looked at").isPositive();
    }

    @Test
    void theMachinesNetworksAreOnlyLookedAtWhenAnUpstreamLiesInAPlannedNetwork() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (RateLimitedUpstream fake = RateLimitedUpstream.start("u", "p", Map.of("anonymous",
                new String[]{"100;w=21600", "99;w=21600"}))) {
            Map<String, PullBudget> budgets = upstreams(List.of(), asked).budgets(plan(fake.url()));
            assertThat(budgets.values().iterator().next().remaining()).isEqualTo(99);
        }
        assertThat(asked.get()).as("no engine call for an upstream outside the plan's networks").isZero();
    }

    @Test
    void aPlannedNetworkTheMachineHasIsNotAbsent() {
        RegistryPlan plan = plan("http://10.213.197.150:5000");
        assertThat(MirrorUpstreams.absentSubnets(plan, List.of(NETWORK))).isEmpty();
        assertThat(MirrorUpstreams.absentSubnets(plan, List.of("other"))).containsExactly(Cidr.parse(CIDR));
    }

    @Test
    void aBudgetIsAskedAsTheMirrorsLoginFromTheDockerConfiguration() throws Exception {
        try (RateLimitedUpstream fake = RateLimitedUpstream.start("lotest", "s3cret-budget", Map.of(
                "anonymous", new String[]{"100;w=21600", "99;w=21600"},
                "lotest", new String[]{"200;w=21600", "7;w=21600"}))) {
            java.nio.file.Files.writeString(state.resolve("config.json"), "{\"auths\":{\"" + fake.server()
                    + "\":{\"auth\":\"" + java.util.Base64.getEncoder().encodeToString("lotest:s3cret-budget".getBytes())
                    + "\"}}}");
            MirrorUpstreams upstreams = new MirrorUpstreams(Map.of("DOCKER_CONFIG", state.toString()), state,
                    Duration.ofSeconds(2), Duration.ofSeconds(3), List::of);
            MirrorUpstreams.Resolved resolved = upstreams.resolveWithBudgets(plan(fake.url()));
            PullBudget budget = resolved.budgets().values().iterator().next();
            assertThat(budget.state()).isEqualTo(PullBudget.State.REPORTED);
            assertThat(budget.limit()).as("the user's figures, not the anonymous ones").isEqualTo(200);
            assertThat(budget.remaining()).isEqualTo(7);
            assertThat(budget.user()).isEqualTo("lotest");
            assertThat(budget.upstream()).isEqualTo(fake.server());
            assertThat(budget.low()).isTrue();
            assertThat(resolved.upstreams().values().iterator().next().loginState()).isEqualTo(LoginState.USED);
            assertThat(fake.requests()).as("the manifest was only ever asked with HEAD (not a pull)")
                    .filteredOn(r -> r.path().contains("/manifests/")).isNotEmpty()
                    .allMatch(r -> r.method().equals("HEAD"));
            assertThat(fake.requests()).filteredOn(r -> r.path().equals("/token"))
                    .extracting(RateLimitedUpstream.Request::identity).contains("lotest").doesNotContain("refused");
        }
    }
}
