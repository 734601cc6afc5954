package dev.vpcflowlogs.recorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The package structure the build enforces, and the module diagram the README shows. */
class ArchitectureTest {

    static final ApplicationModules MODULES = ApplicationModules.of(RecorderApplication.class);
    static final JavaClasses CLASSES = ProductionClasses.get();

    @Test
    void modulesAreAcyclicAndNoneReachesIntoAnothersInternals() {
        // Modulith's own rules: no cycle, and only another module's public types in its base package are used.
        MODULES.verify();
    }

    @Test
    void theProductIsSplitByFeature() {
        assertThat(MODULES.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
                .containsExactlyInAnyOrder(
                        "system",
                        "config",
                        "intake",
                        "recording",
                        "notification",
                        "watch",
                        "aws",
                        "report",
                        "ops",
                        "console",
                        "kubernetes");
    }

    @Test
    void onlyTheAdaptersTalkToTheAwsSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.vpcflowlogs.recorder.aws..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon..")
                .because("the other modules declare small interfaces that the aws adapters implement")
                .check(CLASSES);
    }

    @Test
    void everyModuleSaysWhatItIsForAndThatItsTypesAreNonNullUnlessMarked() {
        MODULES.forEach(module -> {
            String packageName = module.getBasePackage().getName();
            Class<?> described;
            try {
                described = Class.forName(packageName + ".package-info");
            } catch (ClassNotFoundException e) {
                throw new AssertionError(packageName + " has no package-info.java saying what it is for", e);
            }
            assertThat(described.getAnnotation(NullMarked.class))
                    .as("%s/package-info.java with @NullMarked", packageName)
                    .isNotNull();
        });
    }

    /**
     * The README's "Code layout" diagram names exactly the dependencies between modules that the code has. The
     * PlantUML diagrams Modulith draws of the same modules are written to {@code target/spring-modulith-docs}.
     */
    @Test
    void theReadmesModuleDiagramIsTheCodes() throws IOException {
        new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();

        Set<String> actual = new TreeSet<>();
        MODULES.forEach(module -> module.getDirectDependencies(MODULES)
                .uniqueModules()
                .forEach(target -> actual.add(module.getIdentifier() + " --> " + target.getIdentifier())));

        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("```mermaid\\n(graph LR\\n.*?)```", Pattern.DOTALL)
                .matcher(readme.substring(readme.indexOf("## Code layout")));
        assertThat(block.find())
                .as("a mermaid graph under '## Code layout' in README.md")
                .isTrue();
        Set<String> drawn = block.group(1)
                .lines()
                .map(String::strip)
                .filter(line -> line.contains("-->"))
                .map(line -> line.replaceAll("\\s+", " "))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(drawn)
                .as("the README's module diagram (edit README.md to match)")
                .isEqualTo(actual);
    }
}
