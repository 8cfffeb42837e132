package dev.lok8s.lo.docker;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** docker-java stays behind the port: only this package may use it. */
class DockerConfinementTest {

    @Test
    void only_the_docker_package_uses_docker_java() {
        noClasses().that().resideOutsideOfPackage("dev.lok8s.lo.docker..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .because("the engine port speaks in lo's own records; docker-java types must not leak")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.lok8s.lo"));
    }
}
