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

    /** One step of a query over an event's fields (by slot); false drops the event. */
    private interface Step {
        boolean apply(Object[] fields);
    }

    /** An aggregate of {@code stats}, over the field in {@code slot} (-1: every record). */
    private record Aggregate(String function, int slot, String name) {}

    /** A running sum, minimum or maximum: in a long while every value is a whole number, else in a BigDecimal. */
    private static final class Acc {
        boolean any;
        long whole;
        BigDecimal exact;

        void add(String function, Object value) {
            if (function.equals("count")) {
                whole = any ? whole + 1 : 1;
                any = true;
                return;
            }
            long n = wholeNumber(value);
            if (n != Long.MIN_VALUE && exact == null) {
                if (!any) {
                    whole = n;
                } else {
                    whole = switch (function) {
                        case "sum" -> Math.addExact(whole, n);
                        case "min" -> Math.min(whole, n);
                        default -> Math.max(whole, n);
                    };
                }
                any = true;
                return;
            }
            BigDecimal d = number(value);
            if (d == null) {
                return;
            }
            BigDecimal current = exact != null ? exact : any ? BigDecimal.valueOf(whole) : null;
            exact = current == null
                    ? d
                    : switch (function) {
                        case "sum" -> current.add(d);
                        case "min" -> current.min(d);
                        default -> current.max(d);
                    };
            any = true;
        }

        Object value() {
            return exact != null ? exact : whole;
        }
    }

    private final Map<String, Integer> slots = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<Aggregate> aggregates = new ArrayList<>();
    private final List<Integer> groupBy = new ArrayList<>();
    private final List<String> groupNames = new ArrayList<>();
    private String sortField;
    private boolean sortDescending;
    private int limit = Integer.MAX_VALUE;
    private boolean hasStats;

    private final List<String> tokens;
    private int at;

    private InsightsLanguage(String query) {
        this.tokens = tokenize(query);
        slot("@timestamp");
        slot("@message");
        slot("@logStream");
    }

    /** The slot of a field in an event's array, given when the query first names it. */
    private int slot(String field) {
        return slots.computeIfAbsent(field, f -> slots.size());
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
        Map<List<Object>, Acc[]> groups = new LinkedHashMap<>();
        List<Map<String, String>> plain = new ArrayList<>();
        List<String> names = new ArrayList<>(java.util.Collections.nCopies(slots.size(), ""));
        slots.forEach((name, index) -> names.set(index, name));
        long matched = 0;
        int width = slots.size();
        for (Object[] e : events) {
            Object[] fields = new Object[width];
            fields[0] = e[0];
            fields[1] = e[1];
            fields[2] = e[2];
            boolean kept = true;
            for (Step step : steps) {
                if (!step.apply(fields)) {
                    kept = false;
                    break;
                }
            }
            if (!kept) {
                continue;
            }
            matched++;
            if (!hasStats) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < width; i++) {
                    if (fields[i] != null) {
                        row.put(names.get(i), text(fields[i]));
                    }
                }
                plain.add(row);
                continue;
            }
            Object[] key = new Object[groupBy.size()];
            for (int i = 0; i < key.length; i++) {
                key[i] = fields[groupBy.get(i)];
            }
            Acc[] acc = groups.computeIfAbsent(java.util.Arrays.asList(key), k -> {
                Acc[] a = new Acc[aggregates.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = new Acc();
                }
                return a;
            });
            for (int i = 0; i < aggregates.size(); i++) {
                Aggregate a = aggregates.get(i);
                Object value = a.slot() < 0 ? "*" : fields[a.slot()];
                if (value != null) {
                    acc[i].add(a.function(), value);
                }
            }
        }
        List<Map<String, String>> rows = plain;
        if (hasStats) {
            rows = new ArrayList<>();
            for (Map.Entry<List<Object>, Acc[]> g : groups.entrySet()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < groupBy.size(); i++) {
                    if (g.getKey().get(i) != null) {
                        row.put(groupNames.get(i), text(g.getKey().get(i)));
                    }
                }
                for (int i = 0; i < aggregates.size(); i++) {
                    if (g.getValue()[i].any) {
                        row.put(aggregates.get(i).name(), text(g.getValue()[i].value()));
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

    /** A whole number without allocating, or Long.MIN_VALUE. */
    private static long wholeNumber(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        if (!(value instanceof String s) || s.isEmpty() || s.length() > 18) {
            return Long.MIN_VALUE;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (value instanceof BigDecimal b) {
            return b;
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
                    Predicate<Object[]> p = or();
                    steps.add(p::test);
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
                int argument = slot(next());
                expect(")");
                expect("as");
                int alias = slot(next());
                Function<Object, Object> f =
                        switch (name) {
                            case "toMillis" -> v -> v instanceof Long ? v : null;
                            case "strlen" ->
                                v -> v == null ? null : (long) String.valueOf(v).length();
                            default -> throw new Malformed("unsupported function " + name);
                        };
                steps.add(e -> {
                    Object v = f.apply(e[argument]);
                    if (v != null) {
                        e[alias] = v;
                    }
                    return true;
                });
            } else {
                slot(name);
            }
        } while (accept(","));
    }

    private void parseCommand() {
        int source = slot(next());
        String glob = next();
        if (!glob.startsWith("\"")) {
            throw new Malformed("parse takes a glob in double quotes");
        }
        expect("as");
        List<Integer> names = new ArrayList<>();
        do {
            names.add(slot(next()));
        } while (accept(","));
        String body = glob.substring(1, glob.length() - 1);
        String[] parts = body.split("\\*", -1);
        if (parts.length - 1 != names.size()) {
            throw new Malformed("the glob has " + (parts.length - 1) + " wildcards for " + names.size() + " names");
        }
        if (body.equals(String.join(" ", java.util.Collections.nCopies(names.size(), "*")))) {
            // The same match as the glob's, without a pattern: words between single spaces, the last taking the rest.
            int n = names.size();
            steps.add(e -> {
                if (e[source] instanceof String value) {
                    int from = 0;
                    for (int i = 0; i < n; i++) {
                        int space = i == n - 1 ? -1 : value.indexOf(' ', from);
                        if (i < n - 1 && space < 0) {
                            for (int j = 0; j < i; j++) {
                                e[names.get(j)] = null;
                            }
                            return true;
                        }
                        e[names.get(i)] = value.substring(from, space < 0 ? value.length() : space);
                        from = space + 1;
                    }
                }
                return true;
            });
            return;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(Pattern.quote(parts[i]));
            if (i < parts.length - 1) {
                regex.append(i == parts.length - 2 ? "(.*)" : "(.*?)");
            }
        }
        Pattern pattern = Pattern.compile(regex.toString());
        steps.add(e -> {
            if (e[source] != null) {
                var m = pattern.matcher(String.valueOf(e[source]));
                if (m.matches()) {
                    for (int i = 0; i < names.size(); i++) {
                        e[names.get(i)] = m.group(i + 1);
                    }
                }
            }
            return true;
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
            aggregates.add(new Aggregate(function, argument.equals("*") ? -1 : slot(argument), name));
        } while (accept(","));
        if (accept("by")) {
            do {
                String field = next();
                groupNames.add(field);
                groupBy.add(slot(field));
            } while (accept(","));
        }
    }

    private Predicate<Object[]> or() {
        Predicate<Object[]> left = and();
        while (accept("or")) {
            Predicate<Object[]> l = left;
            Predicate<Object[]> r = and();
            left = e -> l.test(e) || r.test(e);
        }
        return left;
    }

    private Predicate<Object[]> and() {
        Predicate<Object[]> left = unary();
        while (accept("and")) {
            Predicate<Object[]> l = left;
            Predicate<Object[]> r = unary();
            left = e -> l.test(e) && r.test(e);
        }
        return left;
    }

    private Predicate<Object[]> unary() {
        if (accept("not")) {
            Predicate<Object[]> p = unary();
            return p.negate();
        }
        if (accept("(")) {
            Predicate<Object[]> p = or();
            expect(")");
            return p;
        }
        int field = slot(next());
        String op = next();
        switch (op) {
            case "like" -> {
                String regex = next();
                if (!regex.startsWith("/")) {
                    throw new Malformed("like takes a /regular expression/ here");
                }
                Pattern p = Pattern.compile(regex.substring(1, regex.length() - 1));
                return e ->
                        e[field] != null && p.matcher(String.valueOf(e[field])).find();
            }
            case "in" -> {
                expect("[");
                List<String> values = new ArrayList<>();
                do {
                    values.add(literal(next()));
                } while (accept(","));
                expect("]");
                return e -> e[field] != null && values.contains(String.valueOf(e[field]));
            }
            case "=", "!=" -> {
                String right = next();
                boolean equal = op.equals("=");
                if (right.startsWith("\"")) {
                    String value = literal(right);
                    return e -> e[field] != null && value.equals(String.valueOf(e[field])) == equal;
                }
                int other = slot(right);
                return e -> e[field] != null
                        && e[other] != null
                        && String.valueOf(e[field]).equals(String.valueOf(e[other])) == equal;
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
