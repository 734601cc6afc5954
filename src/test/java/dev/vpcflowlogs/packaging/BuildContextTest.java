package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What {@code docker build .} sends: exactly what the Dockerfile copies from the context, nothing more. */
class BuildContextTest {

    @Test
    void theBuildContextHoldsWhatTheBuildCopiesAndNoBuildOutputStoreOrHistory() throws Exception {
        List<String> rules = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        List<String> copied = new ArrayList<>();
        Matcher copy =
                Pattern.compile("(?m)^COPY (?!--from)(.+) \\S+$").matcher(Files.readString(Path.of("Dockerfile")));
        while (copy.find()) {
            for (String source : copy.group(1).split("\\s+")) {
                copied.add(source.replaceAll("/$", ""));
            }
        }

        assertThat(copied).containsExactlyInAnyOrder("mvnw", "pom.xml", ".mvn", "src");
        // Everything is left out first, then exactly what the build copies is let in again.
        assertThat(rules.get(0)).isEqualTo("*");
        assertThat(rules.subList(1, rules.size()))
                .allMatch(r -> r.startsWith("!"))
                .extracting(r -> r.substring(1))
                .containsExactlyInAnyOrderElementsOf(copied);
        // A multi-architecture build: the jar once on the builder's platform, the runtime stage per target.
        assertThat(Files.readString(Path.of("Dockerfile")))
                .containsPattern("(?m)^FROM --platform=\\$BUILDPLATFORM eclipse-temurin:\\d+-jdk\\S* AS build$")
                .containsPattern("(?m)^FROM eclipse-temurin:\\d+-jre\\S*$");
    }
}
