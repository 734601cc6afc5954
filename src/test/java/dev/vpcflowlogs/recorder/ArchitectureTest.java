package dev.vpcflowlogs.recorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/** The package structure the build enforces. */
class ArchitectureTest {

    static final ApplicationModules MODULES = ApplicationModules.of(RecorderApplication.class);
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vpcflowlogs.recorder");

    @Test
    void modulesAreAcyclicAndUseOnlyEachOthersPublicApi() {
        MODULES.verify();
    }

    @Test
    void theProductIsSplitByFeature() {
        assertThat(MODULES.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
                .containsExactlyInAnyOrder("config", "intake", "recording", "watch", "aws", "report", "ops");
    }

    @Test
    void recordingImportsNoAwsType() {
        noClasses()
                .that()
                .resideInAPackage("dev.vpcflowlogs.recorder.recording..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "io.awspring..")
                .because("the recording core declares small interfaces that the aws adapters implement")
                .check(CLASSES);
    }

    @Test
    void watchImportsNoAwsType() {
        noClasses()
                .that()
                .resideInAPackage("dev.vpcflowlogs.recorder.watch..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "io.awspring..")
                .because("what is watched is decided without AWS; the aws module discovers and writes alarms")
                .check(CLASSES);
    }

    @Test
    void onlyTheAdaptersTalkToTheAwsSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.vpcflowlogs.recorder.aws..", "dev.vpcflowlogs.recorder.intake..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk.services..")
                .check(CLASSES);
    }
}
