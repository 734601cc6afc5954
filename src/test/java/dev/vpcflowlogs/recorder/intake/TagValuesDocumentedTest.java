package dev.vpcflowlogs.recorder.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.recording.Reason;
import dev.vpcflowlogs.recorder.recording.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operations guide's "Tag values" table says what every reason and outcome the recorder counts means. */
class TagValuesDocumentedTest {

    private static final Pattern CODE = Pattern.compile("`([a-z-]+)`");

    @Test
    void everyReasonIsListedOnceAndNoOtherIs() throws IOException {
        List<String> listed = reasonsListed();
        List<String> reasons = Stream.concat(
                        Arrays.stream(IntakeReason.values()).map(IntakeReason::tag),
                        Arrays.stream(Reason.values()).map(Reason::tag))
                .toList();

        assertThat(reasons)
                .as("the intake's and the recording's reasons share no tag")
                .doesNotHaveDuplicates();
        assertThat(listed).as("reasons in docs/operations.md").doesNotHaveDuplicates();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(reasons);
    }

    @Test
    void everyOutcomeIsExplained() throws IOException {
        String section = tagValuesSection();
        for (Verdict outcome : Verdict.values()) {
            assertThat(section).as("outcome %s", outcome.tag()).contains("`" + outcome.tag() + "`");
        }
    }

    private static List<String> reasonsListed() throws IOException {
        List<String> listed = new ArrayList<>();
        for (String line : tagValuesSection().lines().toList()) {
            if (line.startsWith("| `") && !line.startsWith("| `reason`")) {
                Matcher m = CODE.matcher(line.split("\\|")[1]);
                while (m.find()) {
                    listed.add(m.group(1));
                }
            }
        }
        return listed;
    }

    private static String tagValuesSection() throws IOException {
        String doc = Files.readString(Path.of("docs", "operations.md"));
        int start = doc.indexOf("### Tag values");
        assertThat(start).as("docs/operations.md has a Tag values section").isNotNegative();
        int end = doc.indexOf("\n#", start + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }
}
