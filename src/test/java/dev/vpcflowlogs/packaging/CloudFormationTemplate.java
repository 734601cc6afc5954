package dev.vpcflowlogs.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A CloudFormation template as data: short-form intrinsics ({@code !Ref x}) read as their long form. */
final class CloudFormationTemplate {

    /** {@code !GetAtt a.b}, {@code !Sub ...}: the function's name without {@code Fn::}, and its argument. */
    record Intrinsic(String function, Object argument) {}

    private CloudFormationTemplate() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path path) throws IOException {
        return (Map<String, Object>) new Yaml(new IntrinsicConstructor()).load(Files.readString(path));
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String function = node.getTag().getValue().substring(1);
                    Object argument;
                    if (node instanceof ScalarNode scalar) {
                        argument = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        argument = constructSequence(sequence);
                    } else {
                        argument = constructMapping((MappingNode) node);
                    }
                    return new Intrinsic(function, argument);
                }
            });
        }
    }
}
