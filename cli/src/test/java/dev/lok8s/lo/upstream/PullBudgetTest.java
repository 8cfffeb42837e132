package dev.lok8s.lo.upstream;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the ratelimit-* headers, bounded, and the warning below 10 % of the limit. */
class PullBudgetTest {

    private static PullBudget of(String limit, String remaining) {
        return PullBudget.fromHeaders(Optional.ofNullable(limit), Optional.ofNullable(remaining), null);
    }

    @Test
    void readsDockerHubsHeaders() {
        PullBudget budget = of("100;w=21600", "76;w=21600");
        assertThat(budget.state()).isEqualTo(PullBudget.State.REPORTED);
        assertThat(budget.limit()).isEqualTo(100);
        assertThat(budget.remaining()).isEqualTo(76);
        assertThat(budget.windowSeconds()).isEqualTo(21600);
        assertThat(budget.window()).isEqualTo("6h");
        assertThat(budget.summary()).isEqualTo("76 of 100 pulls left (per 6h, anonymous)");
        assertThat(budget.low()).isFalse();
        assertThat(budget.warning()).isNull();
    }

    @Test
    void readsTheFirstPolicyAWindowlessCountAndIgnoresOtherParameters() {
        assertThat(PullBudget.parse("10, 10;w=1, 50;w=60")).isEqualTo(new PullBudget.Quota(10, null));
        assertThat(PullBudget.parse(" 50 ; W=90 ; burst=5")).isEqualTo(new PullBudget.Quota(50, 90L));
        assertThat(PullBudget.parse("0;w=60")).isEqualTo(new PullBudget.Quota(0, 60L));
        assertThat(of("100", "5").window()).isNull();
        assertThat(of("100;w=5400", "50;w=5400").window()).isEqualTo("90m");
        assertThat(of("100;w=45", "50;w=45").window()).isEqualTo("45s");
    }

    @Test
    void refusesWhatIsNotACountWithinBounds() {
        for (String bad : new String[]{"", "-1", "abc", "1e3", "12345678901", "1000000001", "100;w=", "100;w=0",
                "100;w=x", "100;w=31622401", "100;w=60;w=60", "100;w=-5", "9".repeat(300)}) {
            assertThat(PullBudget.parse(bad)).as("'%s'", bad).isNull();
        }
        assertThat(PullBudget.parse("1000000000;w=31622400")).isNotNull();
    }

    @Test
    void absentHeadersMeanNoBudgetReportedNotAnError() {
        PullBudget none = of(null, null);
        assertThat(none.state()).isEqualTo(PullBudget.State.NOT_REPORTED);
        assertThat(none.low()).isFalse();
        assertThat(none.summary()).isEqualTo("not reported by the upstream");
    }

    @Test
    void halfABudgetOrAnInconsistentOneIsUnknownWithTheReason() {
        assertThat(of("100;w=21600", null).reason()).isEqualTo("the upstream sent ratelimit-limit without ratelimit-remaining");
        assertThat(of(null, "5").reason()).isEqualTo("the upstream sent ratelimit-remaining without ratelimit-limit");
        assertThat(of("lots", "5").reason()).contains("ratelimit-limit is not a count");
        assertThat(of("100", "five").reason()).contains("ratelimit-remaining is not a count");
        assertThat(of("100", "101").reason()).contains("more pulls remaining (101) than its limit (100)");
        assertThat(of("0", "0").reason()).contains("a limit of 0");
        assertThat(of("lots<script>", "5").reason()).as("the upstream's text is not repeated").doesNotContain("script");
        assertThat(of("100", "101").state()).isEqualTo(PullBudget.State.UNKNOWN);
    }

    @Test
    void warnsBelowTenPerCentWithWhatToDo() {
        assertThat(of("100;w=21600", "10;w=21600").low()).as("10 %% is not below 10 %%").isFalse();
        assertThat(of("100;w=21600", "9;w=21600").low()).isTrue();
        assertThat(of("10;w=3600", "0;w=3600").low()).isTrue();
        assertThat(of("1000", "99").low()).isTrue();
        assertThat(of("1000", "100").low()).isFalse();

        var anonymous = of("100;w=21600", "3;w=21600").warning();
        assertThat(anonymous.message()).isEqualTo("3 of 100 pulls left at the upstream (per 6h), below 10 % of its limit");
        assertThat(anonymous.fix()).isEqualTo("docker login (a logged-in account gets a larger budget), then lo registry up;"
                + " or wait for the upstream's 6h window to pass");
        var user = PullBudget.fromHeaders(Optional.of("200;w=21600"), Optional.of("7;w=21600"), "dev").warning();
        assertThat(user.fix()).startsWith("wait for the upstream's 6h window to pass, or docker login with an account");
        assertThat(PullBudget.fromHeaders(Optional.of("200"), Optional.of("7"), "dev").summary())
                .isEqualTo("7 of 200 pulls left (as dev)");
    }
}
