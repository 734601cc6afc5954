package dev.vpcflowlogs.recorder.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.report.ExactTop.Asked;
import dev.vpcflowlogs.recorder.report.ExactTop.Part;
import dev.vpcflowlogs.recorder.report.FlowLogQueries.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExactTopTest {

    static Map<String, String> row(String host, long bytes) {
        return Map.of("host", host, "bytes", String.valueOf(bytes));
    }

    static ExactTop top(int n) {
        return new ExactTop(
                n,
                List.of(0),
                8,
                r -> new ExactTop.Row(List.of(r.get("host")), ExactTop.number(r.get("bytes")), 0),
                r -> new ExactTop.Row(List.of(r.get("host")), ExactTop.number(r.get("bytes")), 0));
    }

    static Answer answer(List<Map<String, String>> rows, boolean cut) {
        return new Answer(rows, 0, 0, cut);
    }

    @Test
    void wholeAnswersAreExactAndSumBothSides() {
        ExactTop top = top(2);
        List<Part> next = top.take(List.of(new Asked(
                Part.ALL,
                answer(List.of(row("10.0.0.1", 50), row("10.0.0.2", 40)), false),
                answer(List.of(row("10.0.0.2", 30), row("10.0.0.3", 5)), false))));

        assertThat(next).isEmpty();
        assertThat(top.candidates())
                .extracting(c -> c.text() + "=" + c.lower())
                .containsExactly("10.0.0.2=70", "10.0.0.1=50", "10.0.0.3=5");
        assertThat(top.errorBound()).isZero();
    }

    @Test
    void cutAnswersWhoseLastRowsCannotReachTheTopDecideWithoutSplitting() {
        ExactTop top = top(1);
        // Every row left out of either answer weighs at most 1 + 1: far below the leader's 1,000.
        List<Part> next = top.take(List.of(new Asked(
                Part.ALL,
                answer(List.of(row("10.0.0.1", 900), row("10.0.0.2", 1)), true),
                answer(List.of(row("10.0.0.1", 100), row("10.0.0.3", 1)), true))));

        assertThat(next).isEmpty();
        assertThat(top.errorBound()).isZero();
        assertThat(top.candidates().get(0).lower()).isEqualTo(1_000);
    }

    @Test
    void aKeyHiddenBelowBothCutsIsFoundBySplittingOnTheLastCharacter() {
        ExactTop top = top(1);
        // 10.0.0.9 sent 60 and received 60: in neither cut answer, yet bigger than any key shown.
        List<Part> next = top.take(List.of(new Asked(
                Part.ALL,
                answer(List.of(row("10.0.0.1", 100), row("10.0.0.2", 90)), true),
                answer(List.of(row("10.0.0.3", 100), row("10.0.0.4", 90)), true))));

        assertThat(next).hasSize(19);
        List<Asked> answers = new ArrayList<>();
        for (Part part : next) {
            String suffix = part.cuts().get(0).suffix();
            List<Map<String, String>> sent = new ArrayList<>();
            List<Map<String, String>> received = new ArrayList<>();
            for (String[] h : new String[][] {
                {"10.0.0.1", "100", "0"},
                {"10.0.0.2", "90", "0"},
                {"10.0.0.3", "0", "100"},
                {"10.0.0.4", "0", "90"},
                {"10.0.0.9", "60", "60"}
            }) {
                if (h[0].matches(".*" + suffix + "$")) {
                    if (!h[1].equals("0")) {
                        sent.add(row(h[0], Long.parseLong(h[1])));
                    }
                    if (!h[2].equals("0")) {
                        received.add(row(h[0], Long.parseLong(h[2])));
                    }
                }
            }
            answers.add(new Asked(part, answer(sent, false), answer(received, false)));
        }

        assertThat(top.take(answers)).isEmpty();
        assertThat(top.candidates().get(0).text()).isEqualTo("10.0.0.9");
        assertThat(top.candidates().get(0).lower()).isEqualTo(120);
        assertThat(top.errorBound()).isZero();
    }

    @Test
    void whatStaysUndecidedIsReportedAsTheMostAFigureMayBeOff() {
        ExactTop top = top(1);
        top.take(List.of(new Asked(
                Part.ALL,
                answer(List.of(row("10.0.0.1", 100), row("10.0.0.2", 90)), true),
                answer(List.of(row("10.0.0.3", 100), row("10.0.0.4", 90)), true))));

        // Not asked again: the queries' budget is spent.
        assertThat(top.errorBound()).isEqualTo(180);
    }
}
