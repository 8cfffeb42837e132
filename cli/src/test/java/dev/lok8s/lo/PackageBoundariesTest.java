package dev.lok8s.lo;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.events.LeaseTakenOver;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.run.ProjectLeases;
import dev.lok8s.lo.run.RunLifecycle;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.TeardownService;
import dev.lok8s.lo.store.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The intended layering of the command line's packages (docs/architecture.md), so a change that
 * crosses a boundary fails here. The Docker SDK's own fence is {@code docker.DockerConfinementTest}.
 */
class PackageBoundariesTest {

    static JavaClasses lo;

    @BeforeAll
    static void importMainClasses() {
        lo = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.lok8s.lo");
    }

    @Test
    void the_store_knows_no_read_model() {
        noClasses().that().resideInAPackage("dev.lok8s.lo.store..")
                .should().dependOnClassesThat(resideInAPackage("dev.lok8s.lo..").and(not(resideInAnyPackage(
                        "dev.lok8s.lo.store..", "dev.lok8s.lo.events..", "dev.lok8s.lo.machine..",
                        "dev.lok8s.lo.failure..", "dev.lok8s.lo.retry.."))))
                .because("the store calls its AppendHook; the read models implement it and are wired at the edge")
                .check(lo);
    }

    @Test
    void only_the_store_and_the_read_models_speak_jdbc() {
        noClasses().that().resideOutsideOfPackages("dev.lok8s.lo.store..", "dev.lok8s.lo.projection..")
                .and().doNotBelongToAnyOf(ProjectLeases.class)
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .because("the store owns the event tables, projection/ the read-model tables"
                        + " (and ProjectLeases its lease rows); everyone else asks them")
                .check(lo);
    }

    @Test
    void the_store_connections_go_to_the_read_models_and_the_wiring_only() {
        noClasses().that().resideOutsideOfPackages("dev.lok8s.lo.store..", "dev.lok8s.lo.projection..",
                        "dev.lok8s.lo.wiring..")
                .should().callMethod(EventStore.class, "dataSource")
                .because("read models are reached through projection.ReadModels, not through raw JDBC")
                .check(lo);
    }

    @Test
    void the_read_models_do_not_reach_up() {
        noClasses().that().resideInAPackage("dev.lok8s.lo.projection..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lok8s.lo.run..", "dev.lok8s.lo.reconcile..",
                        "dev.lok8s.lo.status..", "dev.lok8s.lo.cache..", "dev.lok8s.lo.cli..",
                        "dev.lok8s.lo.wiring..", "dev.lok8s.lo.docker..", "dev.lok8s.lo.engine..", "dev.lok8s.lo.query..")
                .check(lo);
    }

    @Test
    void only_the_edges_know_the_command_line() {
        noClasses().that().resideOutsideOfPackages("dev.lok8s.lo.cli..", "dev.lok8s.lo.wiring..")
                .should().dependOnClassesThat().resideInAPackage("dev.lok8s.lo.cli..")
                .because("the command line is an edge: what it shares (the version, ...) lives below it")
                .check(lo);
    }

    @Test
    void status_reads_without_running() {
        noClasses().that().resideInAPackage("dev.lok8s.lo.status..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lok8s.lo.run..", "dev.lok8s.lo.reconcile..")
                .because("a report probes and reads; the probe and the TLS files it needs live in registry/")
                .check(lo);
    }

    @Test
    void a_teardown_does_not_go_through_a_provision() {
        noClasses().that().belongToAnyOf(TeardownService.class)
                .should().dependOnClassesThat().belongToAnyOf(ProvisionService.class)
                .because("what both need (rejections, the log's known state) lives in RunLifecycle and KnownStates")
                .check(lo);
    }

    @Test
    void the_pure_core_depends_on_nothing_above_it() {
        noClasses().that().resideInAnyPackage("dev.lok8s.lo.spec..", "dev.lok8s.lo.plan..", "dev.lok8s.lo.events..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lok8s.lo.store..",
                        "dev.lok8s.lo.projection..", "dev.lok8s.lo.run..", "dev.lok8s.lo.reconcile..",
                        "dev.lok8s.lo.observe..", "dev.lok8s.lo.status..", "dev.lok8s.lo.cache..",
                        "dev.lok8s.lo.cli..", "dev.lok8s.lo.wiring..", "dev.lok8s.lo.docker..",
                        "dev.lok8s.lo.engine..", "dev.lok8s.lo.registry..")
                .check(lo);
    }

    @Test
    void diagnostics_go_through_the_edges_only() {
        // LoMain is the process's entry point: it hands the standard streams to picocli for --help
        noClasses().that().doNotHaveFullyQualifiedName("dev.lok8s.lo.cli.LoMain")
                .should().accessField(System.class, "err").orShould().accessField(System.class, "out")
                .because("a command prints through its OutputOptions and the error handler; a run's notes go"
                        + " to its progress listener")
                .check(lo);
    }

    @Test
    void the_failure_table_depends_on_nothing_of_lo() {
        noClasses().that().resideInAPackage("dev.lok8s.lo.failure..")
                .should().dependOnClassesThat(resideInAPackage("dev.lok8s.lo..")
                        .and(not(resideInAPackage("dev.lok8s.lo.failure.."))))
                .because("every layer's exceptions implement Failing, so failure/ must sit below all of them")
                .check(lo);
    }

    @Test
    void the_retry_loop_depends_on_nothing_of_lo() {
        noClasses().that().resideInAPackage("dev.lok8s.lo.retry..")
                .should().dependOnClassesThat(resideInAPackage("dev.lok8s.lo..")
                        .and(not(resideInAPackage("dev.lok8s.lo.retry.."))))
                .because("every layer that waits (store, leases, actions, the registry probe) uses it")
                .check(lo);
    }

    @Test
    void the_http_exchange_depends_on_nothing_of_lo() {
        noClasses().that().resideInAPackage("dev.lok8s.lo.http..")
                .should().dependOnClassesThat(resideInAPackage("dev.lok8s.lo..")
                        .and(not(resideInAPackage("dev.lok8s.lo.http.."))))
                .because("the warm (cache/) and the upstream checks (upstream/) both ask over it")
                .check(lo);
    }

    @Test
    void packages_form_no_cycles() {
        slices().matching("dev.lok8s.lo.(*)..").should().beFreeOfCycles().check(lo);
    }

    @Test
    void the_actions_depend_on_no_rules() {
        noClasses().that().haveSimpleNameEndingWith("Actions")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Rules")
                .because("the actions carry out a decided change and report what they observed; what follows from"
                        + " it is the rules' to say (ProvisionSteps and TeardownSteps join the two)")
                .check(lo);
    }

    @Test
    void the_rules_do_no_io() {
        noClasses().that().haveSimpleNameEndingWith("Rules")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lok8s.lo.docker..", "dev.lok8s.lo.store..",
                        "java.nio.file..", "java.net..", "java.sql..", "java.io..")
                .orShould().dependOnClassesThat().areAssignableTo(ContainerEngine.class)
                .orShould().dependOnClassesThat().areAssignableTo(KindExecutable.class)
                .because("a rule is a pure function of the plan, the log's knowledge and what was observed, with a"
                        + " millisecond given/when/then test; observing and acting are the observer's and the actions'")
                .check(lo);
    }

    @Test
    void deciding_and_acting_do_not_reach_up_to_the_run() {
        noClasses().that().resideInAPackage("dev.lok8s.lo.reconcile..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lok8s.lo.run..", "dev.lok8s.lo.cli..")
                .because("a run executes what reconcile/ decides and acts on; the step types both speak live in"
                        + " reconcile/")
                .check(lo);
    }

    @Test
    void only_a_run_records_a_runs_life() {
        noClasses().that().resideOutsideOfPackages("dev.lok8s.lo.run..", "dev.lok8s.lo.events..")
                .should().callConstructorWhere(target(owner(belongToAnyOf(RunStarted.class, RunResumed.class,
                        RunCompleted.class, RunFailed.class, RunRejected.class, LeaseTakenOver.class))))
                .because("every command that changes the machine or its caches runs through run/: the lease, the start,"
                        + " the end and refusals (events/ only decodes them)")
                .check(lo);
    }

    @Test
    void a_runs_start_and_refusals_are_recorded_by_its_lifecycle() {
        noClasses().that().resideOutsideOfPackages("dev.lok8s.lo.events..").and().doNotBelongToAnyOf(RunLifecycle.class)
                .should().callConstructorWhere(target(owner(belongToAnyOf(RunStarted.class, RunResumed.class,
                        RunRejected.class, LeaseTakenOver.class))))
                .because("RunLifecycle takes the lease before a start and records refusals with what they found"
                        + " (RunLifecycle.reject)")
                .check(lo);
    }
}
