package dev.vpcflowlogs.packaging;

import dev.vpcflowlogs.packaging.CloudFormationTemplate.Intrinsic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template's values as CloudFormation would compute them for one stack: its parameters (defaults unless given), the
 * pseudo parameters of one account and region, conditions, and the intrinsic functions the templates use in names,
 * conditions and rules. A resource attribute ({@code !GetAtt}, a resource's {@code !Ref}) stays as written: it is known
 * only once the stack exists.
 */
final class StackValues {

    static final String ACCOUNT = "111111111111";

    private final Map<String, Object> template;
    private final Map<String, Object> parameters = new HashMap<>();

    StackValues(Map<String, Object> template, String region, Map<String, String> given) {
        this(template, ACCOUNT, region, given);
    }

    /** The stack in another account than {@link #ACCOUNT} (a member of the organization). */
    @SuppressWarnings("unchecked")
    StackValues(Map<String, Object> template, String account, String region, Map<String, String> given) {
        this.template = template;
        Map<String, Object> declared = (Map<String, Object>) template.get("Parameters");
        declared.forEach((name, declaration) -> {
            Map<String, Object> d = (Map<String, Object>) declaration;
            Object value = given.containsKey(name) ? given.get(name) : d.get("Default");
            if (value == null) {
                throw new IllegalArgumentException("parameter " + name + " has no default: give it");
            }
            String text = String.valueOf(value);
            parameters.put(
                    name,
                    String.valueOf(d.get("Type")).startsWith("CommaDelimitedList")
                                    || String.valueOf(d.get("Type")).startsWith("List<")
                            ? Arrays.asList(text.split(",", -1))
                            : text);
        });
        given.keySet().forEach(name -> {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("no parameter " + name);
            }
        });
        parameters.put("AWS::Region", region);
        parameters.put("AWS::AccountId", account);
        parameters.put("AWS::Partition", "aws");
        parameters.put("AWS::StackName", "vpc-flowlogs-recorder");
        parameters.put("AWS::NoValue", null);
    }

    @SuppressWarnings("unchecked")
    boolean condition(String name) {
        Object definition = ((Map<String, Object>) template.get("Conditions")).get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return (Boolean) value(definition);
    }

    /** The rules whose condition holds and one of whose assertions fails, with that assertion's description. */
    @SuppressWarnings("unchecked")
    List<String> failedRules() {
        List<String> failed = new ArrayList<>();
        Map<String, Object> rules = (Map<String, Object>) template.getOrDefault("Rules", Map.of());
        rules.forEach((name, rule) -> {
            Map<String, Object> r = (Map<String, Object>) rule;
            if (r.containsKey("RuleCondition") && !(Boolean) value(r.get("RuleCondition"))) {
                return;
            }
            for (Map<String, Object> assertion : (List<Map<String, Object>>) r.get("Assertions")) {
                if (!(Boolean) value(assertion.get("Assert"))) {
                    failed.add(name + ": " + assertion.get("AssertDescription"));
                }
            }
        });
        return failed;
    }

    /** Whether a resource is made in this stack. */
    @SuppressWarnings("unchecked")
    boolean made(String resource) {
        Object condition = ((Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(resource))
                .get("Condition");
        return condition == null || condition((String) condition);
    }

    @SuppressWarnings("unchecked")
    Object value(Object node) {
        if (node instanceof Intrinsic i) {
            Object a = i.argument();
            return switch (i.function()) {
                case "Ref" -> parameters.containsKey((String) a) ? parameters.get((String) a) : i;
                case "Condition" -> condition((String) a);
                case "Equals" -> String.valueOf(value(list(a).get(0))).equals(String.valueOf(value(list(a).get(1))));
                case "Not" -> !(Boolean) value(list(a).get(0));
                case "And" -> list(a).stream().allMatch(c -> (Boolean) value(c));
                case "Or" -> list(a).stream().anyMatch(c -> (Boolean) value(c));
                case "If" -> condition((String) list(a).get(0)) ? value(list(a).get(1)) : value(list(a).get(2));
                case "EachMemberEquals" ->
                    ((List<Object>) value(list(a).get(0)))
                            .stream().allMatch(m -> String.valueOf(m).equals(String.valueOf(value(list(a).get(1)))));
                case "Select" ->
                    ((List<Object>) value(list(a).get(1))).get(Integer.parseInt(String.valueOf(value(list(a).get(0)))));
                case "Split" ->
                    Arrays.asList(String.valueOf(value(list(a).get(1)))
                            .split(Pattern.quote(String.valueOf(list(a).get(0))), -1));
                case "Join" ->
                    String.join(
                            String.valueOf(list(a).get(0)),
                            ((List<Object>) value(list(a).get(1)))
                                    .stream().map(String::valueOf).toList());
                case "Sub" -> sub(a);
                default -> i;
            };
        }
        if (node instanceof List<?> l) {
            List<Object> values = new ArrayList<>();
            for (Object item : l) {
                Object v = value(item);
                if (v instanceof List<?> inner
                        && item instanceof Intrinsic ref
                        && ref.function().equals("Ref")) {
                    values.addAll(inner);
                } else if (v != null) {
                    values.add(v);
                }
            }
            return values;
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> values = new HashMap<>();
            m.forEach((k, v) -> values.put(String.valueOf(k), value(v)));
            return values;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private String sub(Object argument) {
        String text = argument instanceof List<?> l ? (String) l.get(0) : (String) argument;
        Map<String, Object> local = argument instanceof List<?> l ? (Map<String, Object>) l.get(1) : Map.of();
        Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object v = local.containsKey(name) ? value(local.get(name)) : parameters.get(name);
            m.appendReplacement(
                    out, Matcher.quoteReplacement(v == null && !parameters.containsKey(name) ? m.group() : "" + v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Object> list(Object argument) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) argument;
        return l;
    }
}
