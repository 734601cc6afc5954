package dev.vpcflowlogs.recorder.standin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The part of the Logs Insights query language the recorder uses, run over log events (CloudWatch Logs user guide,
 * "CloudWatch Logs Insights language query syntax"): {@code fields} (fields, and {@code toMillis()}/{@code strlen()}
 * as a name), {@code filter} ({@code = != like /re/ in [...]}, {@code and or not}, parentheses), {@code parse @message
 * "glob" as a, b}, {@code stats count(*)|count(f)|sum|min|max [as n] by f, g}, {@code sort f asc|desc},
 * {@code limit n}. Anything else is refused with MalformedQueryException: the stand-in never ignores what it does not
 * understand.
 */
final class InsightsLanguage {

    /** A query that does not parse. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    /** One event as a query sees it: its fields so far. */
    private record Event(Map<String, Object> fields) {}

    /** An aggregate of {@code stats}. */
    private record Aggregate(String function, String argument, String name) {}

    private final List<Function<Event, Event>> steps = new ArrayList<>();
    private final List<Aggregate> aggregates = new ArrayList<>();
    private final List<String> groupBy = new ArrayList<>();
    private String sortField;
    private boolean sortDescending;
    private int limit = Integer.MAX_VALUE;
    private boolean hasStats;

    private final List<String> tokens;
    private int at;

    private InsightsLanguage(String query) {
        this.tokens = tokenize(query);
    }

    static InsightsLanguage parse(String query) {
        InsightsLanguage q = new InsightsLanguage(query);
        q.commands();
        return q;
    }

    int limit() {
        return limit;
    }

    /** What the query answers over these events (timestamp, message, stream), and how many reached its stats. */
    record Result(List<Map<String, String>> rows, long matched) {}

    Result run(Iterable<Object[]> events) {
        Map<List<Object>, Object[]> groups = new LinkedHashMap<>();
        List<Map<String, String>> plain = new ArrayList<>();
        long matched = 0;
        for (Object[] e : events) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("@timestamp", e[0]);
            fields.put("@message", e[1]);
            fields.put("@logStream", e[2]);
            Event event = new Event(fields);
            for (Function<Event, Event> step : steps) {
                event = step.apply(event);
                if (event == null) {
                    break;
                }
            }
            if (event == null) {
                continue;
            }
            matched++;
            if (!hasStats) {
                Map<String, String> row = new LinkedHashMap<>();
                event.fields().forEach((k, v) -> row.put(k, text(v)));
                plain.add(row);
                continue;
            }
            List<Object> key = new ArrayList<>();
            for (String g : groupBy) {
                key.add(event.fields().get(g));
            }
            Object[] acc = groups.computeIfAbsent(key, k -> new Object[aggregates.size()]);
            for (int i = 0; i < aggregates.size(); i++) {
                acc[i] = accumulate(aggregates.get(i), acc[i], event);
            }
        }
        List<Map<String, String>> rows = plain;
        if (hasStats) {
            rows = new ArrayList<>();
            for (Map.Entry<List<Object>, Object[]> g : groups.entrySet()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < groupBy.size(); i++) {
                    if (g.getKey().get(i) != null) {
                        row.put(groupBy.get(i), text(g.getKey().get(i)));
                    }
                }
                for (int i = 0; i < aggregates.size(); i++) {
                    if (g.getValue()[i] != null) {
                        row.put(aggregates.get(i).name(), text(g.getValue()[i]));
                    }
                }
                rows.add(row);
            }
        }
        if (sortField != null) {
            Comparator<Map<String, String>> order =
                    Comparator.comparing(r -> r.get(sortField), Comparator.nullsFirst(InsightsLanguage::compareValues));
            rows.sort(sortDescending ? order.reversed() : order);
        }
        return new Result(rows.subList(0, (int) Math.min(rows.size(), (long) limit)), matched);
    }

    private static Object accumulate(Aggregate a, Object acc, Event event) {
        Object value = a.argument().equals("*") ? "*" : event.fields().get(a.argument());
        switch (a.function()) {
            case "count" -> {
                return value == null ? acc : (acc == null ? 0L : (Long) acc) + 1;
            }
            case "sum", "min", "max" -> {
                BigDecimal n = number(value);
                if (n == null) {
                    return acc;
                }
                if (acc == null) {
                    return n;
                }
                BigDecimal current = (BigDecimal) acc;
                return switch (a.function()) {
                    case "sum" -> current.add(n);
                    case "min" -> current.min(n);
                    default -> current.max(n);
                };
            }
            default -> throw new IllegalStateException(a.function());
        }
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (value instanceof String s && !s.isEmpty()) {
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(Object value) {
        return value instanceof BigDecimal b ? b.stripTrailingZeros().toPlainString() : String.valueOf(value);
    }

    private static int compareValues(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        return x != null && y != null ? x.compareTo(y) : a.compareTo(b);
    }

    // ---- parsing ----

    private void commands() {
        boolean first = true;
        while (at < tokens.size()) {
            if (!first) {
                expect("|");
            }
            first = false;
            String command = next();
            switch (command) {
                case "fields" -> fields();
                case "filter" -> {
                    Predicate<Event> p = or();
                    steps.add(e -> p.test(e) ? e : null);
                }
                case "parse" -> parseCommand();
                case "stats" -> stats();
                case "sort" -> {
                    sortField = next();
                    if (at < tokens.size() && (peek().equals("asc") || peek().equals("desc"))) {
                        sortDescending = next().equals("desc");
                    }
                }
                case "limit" -> limit = Integer.parseInt(next());
                default -> throw new Malformed("unexpected command " + command);
            }
        }
    }

    private void fields() {
        do {
            String name = next();
            if (peek().equals("(")) {
                expect("(");
                String argument = next();
                expect(")");
                expect("as");
                String alias = next();
                Function<Object, Object> f =
                        switch (name) {
                            case "toMillis" -> v -> v instanceof Long ? v : null;
                            case "strlen" ->
                                v -> v == null ? null : (long) String.valueOf(v).length();
                            default -> throw new Malformed("unsupported function " + name);
                        };
                steps.add(e -> {
                    Object v = f.apply(e.fields().get(argument));
                    if (v != null) {
                        e.fields().put(alias, v);
                    }
                    return e;
                });
            }
        } while (accept(","));
    }

    private void parseCommand() {
        String source = next();
        String glob = next();
        if (!glob.startsWith("\"")) {
            throw new Malformed("parse takes a glob in double quotes");
        }
        expect("as");
        List<String> names = new ArrayList<>();
        do {
            names.add(next());
        } while (accept(","));
        String body = glob.substring(1, glob.length() - 1);
        String[] parts = body.split("\\*", -1);
        if (parts.length - 1 != names.size()) {
            throw new Malformed("the glob has " + (parts.length - 1) + " wildcards for " + names.size() + " names");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(Pattern.quote(parts[i]));
            if (i < parts.length - 1) {
                regex.append(i == parts.length - 2 ? "(.*)" : "(.*?)");
            }
        }
        Pattern pattern = Pattern.compile(regex.toString());
        if (body.equals(String.join(" ", java.util.Collections.nCopies(names.size(), "*")))) {
            // The same match as the pattern's, without its backtracking: words between single spaces, the last one
            // taking the rest.
            steps.add(e -> {
                Object value = e.fields().get(source);
                if (value != null) {
                    String[] words = String.valueOf(value).split(" ", names.size());
                    if (words.length == names.size()) {
                        for (int i = 0; i < names.size(); i++) {
                            e.fields().put(names.get(i), words[i]);
                        }
                    }
                }
                return e;
            });
            return;
        }
        steps.add(e -> {
            Object value = e.fields().get(source);
            if (value != null) {
                var m = pattern.matcher(String.valueOf(value));
                if (m.matches()) {
                    for (int i = 0; i < names.size(); i++) {
                        e.fields().put(names.get(i), m.group(i + 1));
                    }
                }
            }
            return e;
        });
    }

    private void stats() {
        hasStats = true;
        do {
            String function = next();
            expect("(");
            String argument = next();
            expect(")");
            if (!List.of("count", "sum", "min", "max").contains(function)
                    || (argument.equals("*") && !function.equals("count"))) {
                throw new Malformed("unsupported aggregate " + function + "(" + argument + ")");
            }
            String name = accept("as") ? next() : function + "(" + argument + ")";
            aggregates.add(new Aggregate(function, argument, name));
        } while (accept(","));
        if (accept("by")) {
            do {
                groupBy.add(next());
            } while (accept(","));
        }
    }

    private Predicate<Event> or() {
        Predicate<Event> left = and();
        while (accept("or")) {
            Predicate<Event> l = left;
            Predicate<Event> r = and();
            left = e -> l.test(e) || r.test(e);
        }
        return left;
    }

    private Predicate<Event> and() {
        Predicate<Event> left = unary();
        while (accept("and")) {
            Predicate<Event> l = left;
            Predicate<Event> r = unary();
            left = e -> l.test(e) && r.test(e);
        }
        return left;
    }

    private Predicate<Event> unary() {
        if (accept("not")) {
            Predicate<Event> p = unary();
            return p.negate();
        }
        if (accept("(")) {
            Predicate<Event> p = or();
            expect(")");
            return p;
        }
        String field = next();
        String op = next();
        switch (op) {
            case "like" -> {
                String regex = next();
                if (!regex.startsWith("/")) {
                    throw new Malformed("like takes a /regular expression/ here");
                }
                Pattern p = Pattern.compile(regex.substring(1, regex.length() - 1));
                return e -> e.fields().get(field) != null
                        && p.matcher(String.valueOf(e.fields().get(field))).find();
            }
            case "in" -> {
                expect("[");
                List<String> values = new ArrayList<>();
                do {
                    values.add(literal(next()));
                } while (accept(","));
                expect("]");
                return e -> e.fields().get(field) != null
                        && values.contains(String.valueOf(e.fields().get(field)));
            }
            case "=", "!=" -> {
                String right = next();
                Function<Event, Object> value = right.startsWith("\"")
                        ? e -> literal(right)
                        : e -> e.fields().get(right);
                boolean equal = op.equals("=");
                return e -> {
                    Object l = e.fields().get(field);
                    Object r = value.apply(e);
                    return l != null && r != null && String.valueOf(l).equals(String.valueOf(r)) == equal;
                };
            }
            default -> throw new Malformed("unsupported operator " + op);
        }
    }

    private static String literal(String token) {
        if (!token.startsWith("\"")) {
            throw new Malformed("expected a string in double quotes, not " + token);
        }
        return token.substring(1, token.length() - 1).replace("\\\"", "\"");
    }

    private String next() {
        if (at >= tokens.size()) {
            throw new Malformed("the query ends too soon");
        }
        return tokens.get(at++);
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : "";
    }

    private boolean accept(String token) {
        if (peek().equals(token)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw new Malformed("expected " + token + " at " + peek());
        }
    }

    /** Words, "strings", /regular expressions/ (after like), and the symbols of the grammar. */
    private static List<String> tokenize(String query) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int j = i + 1;
                while (j < query.length() && query.charAt(j) != '"') {
                    j += query.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= query.length()) {
                    throw new Malformed("a string is not closed");
                }
                tokens.add(query.substring(i, j + 1));
                i = j + 1;
            } else if (c == '/'
                    && !tokens.isEmpty()
                    && tokens.get(tokens.size() - 1).equals("like")) {
                int j = i + 1;
                while (j < query.length() && query.charAt(j) != '/') {
                    j += query.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= query.length()) {
                    throw new Malformed("a regular expression is not closed");
                }
                tokens.add(query.substring(i, j + 1));
                i = j + 1;
            } else if (c == '!' && i + 1 < query.length() && query.charAt(i + 1) == '=') {
                tokens.add("!=");
                i += 2;
            } else if ("|,()[]=*".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if (Character.isLetterOrDigit(c) || c == '@' || c == '_' || c == '.' || c == '-') {
                int j = i;
                while (j < query.length()
                        && (Character.isLetterOrDigit(query.charAt(j)) || "@_.-".indexOf(query.charAt(j)) >= 0)) {
                    j++;
                }
                tokens.add(query.substring(i, j));
                i = j;
            } else {
                throw new Malformed("unexpected character " + c);
            }
        }
        return tokens;
    }
}
