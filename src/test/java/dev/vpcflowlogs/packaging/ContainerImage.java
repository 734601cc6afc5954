package dev.vpcflowlogs.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image the Dockerfile builds, assembled without a Docker engine: the jar extracted with the Dockerfile's own
 * command, the layers it copies merged into one directory in its order, its {@code RUN java} steps (the training run
 * that makes the ahead-of-time cache) run there, and the command its {@code JAVA_TOOL_OPTIONS} and {@code ENTRYPOINT}
 * make. Its {@code java} is the one of the runtime stage's major version ({@code FROM eclipse-temurin:25-jre-...}),
 * found beside this JVM (Debian's JVM folder) or at {@code -Dimage.java.home} (or {@code IMAGE_JAVA_HOME}).
 */
public final class ContainerImage {

    /** The JVM the build runs on (it extracts the jar, as the build stage does). */
    public static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final String dockerfile;
    private final Path app;
    private final String java;

    private ContainerImage(String dockerfile, Path app) {
        this.dockerfile = dockerfile;
        this.app = app;
        this.java = runtimeJava(dockerfile);
    }

    /** The runtime stage's Java major version: the number in the last {@code FROM eclipse-temurin:<n>-jre}. */
    static int runtimeVersion(String dockerfile) {
        Matcher from = Pattern.compile("^FROM eclipse-temurin:(\\d+)-jre", Pattern.MULTILINE)
                .matcher(dockerfile);
        int version = -1;
        while (from.find()) {
            version = Integer.parseInt(from.group(1));
        }
        if (version < 0) {
            throw new IllegalStateException("the Dockerfile's runtime stage is not FROM eclipse-temurin:<n>-jre");
        }
        return version;
    }

    /** A {@code java} of the runtime stage's version on this machine. */
    static String runtimeJava(String dockerfile) {
        int version = runtimeVersion(dockerfile);
        String configured = System.getProperty("image.java.home", System.getenv("IMAGE_JAVA_HOME"));
        if (configured != null) {
            return Path.of(configured, "bin", "java").toString();
        }
        if (Runtime.version().feature() == version) {
            return JAVA;
        }
        Path jvms = Path.of(System.getProperty("java.home")).getParent();
        try (var candidates = Files.list(jvms)) {
            return candidates
                    .filter(home ->
                            home.getFileName().toString().matches("(temurin|java|jdk|openjdk)-" + version + "\\b.*"))
                    .map(home -> home.resolve("bin").resolve("java"))
                    .filter(Files::isExecutable)
                    .sorted()
                    .findFirst()
                    .map(Path::toString)
                    .orElseThrow(() -> new IllegalStateException("the image runs Java " + version
                            + ", and no Java " + version + " is in " + jvms
                            + " (install Temurin " + version + ", or set IMAGE_JAVA_HOME)"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The image's {@code java}. */
    public String java() {
        return java;
    }

    /** The image's Java major version. */
    public int javaVersion() {
        return runtimeVersion(dockerfile);
    }

    /** What the image's {@code RUN java} step (the training run) printed, beside {@code app} in the directory. */
    public static final String TRAINING_LOG = "training-run.log";

    /** Builds {@code /app} under {@code directory} from {@code jar} as the Dockerfile does. */
    public static ContainerImage assemble(Path dockerfilePath, Path jar, Path directory)
            throws IOException, InterruptedException {
        String dockerfile = joinContinuations(Files.readString(dockerfilePath));
        Files.createDirectories(directory);
        Path extracted = directory.resolve("extracted");
        Matcher extract = Pattern.compile("java -Djarmode=tools -jar \\S+ extract ([^&\\n]*?)--destination extracted")
                .matcher(dockerfile);
        if (!extract.find()) {
            throw new IllegalStateException("the Dockerfile does not extract the jar");
        }
        List<String> command = new ArrayList<>(
                List.of(JAVA, "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract"));
        command.addAll(words(extract.group(1)));
        command.addAll(List.of("--destination", extracted.toAbsolutePath().toString()));
        run(directory, command);
        Path app = Files.createDirectories(directory.resolve("app"));
        for (String layer : copiedLayers(dockerfile)) {
            copyTree(extracted.resolve(layer), app);
        }
        Files.createDirectories(app.resolve("data"));
        ContainerImage image = new ContainerImage(dockerfile, app);
        for (List<String> step : image.javaRunSteps()) {
            List<String> java = new ArrayList<>(step);
            java.set(0, image.java());
            Files.writeString(directory.resolve(TRAINING_LOG), run(app, java), StandardCharsets.UTF_8);
        }
        return image;
    }

    public Path app() {
        return app;
    }

    /** The layers the Dockerfile copies, in its order. */
    public static List<String> copiedLayers(String dockerfile) {
        List<String> copied = new ArrayList<>();
        Matcher m = Pattern.compile("COPY --from=build /build/extracted/([\\w-]+)/ \\./")
                .matcher(dockerfile);
        while (m.find()) {
            copied.add(m.group(1));
        }
        return copied;
    }

    /** The image's {@code JAVA_TOOL_OPTIONS}, with {@code /tmp} moved to {@code tmp}. */
    public List<String> javaToolOptions(Path tmp) {
        Matcher options = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"").matcher(dockerfile);
        if (!options.find()) {
            throw new IllegalStateException("the Dockerfile sets no JAVA_TOOL_OPTIONS");
        }
        return words(options.group(1)).stream()
                .map(o -> o.replace("=/tmp", "=" + tmp.toAbsolutePath()))
                .toList();
    }

    /** The entry point, {@code java} first, as the image's {@code java}. */
    public List<String> entryPoint() {
        Matcher entry = Pattern.compile("ENTRYPOINT \\[(.*)]").matcher(dockerfile);
        if (!entry.find()) {
            throw new IllegalStateException("the Dockerfile has no ENTRYPOINT");
        }
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(entry.group(1));
        while (word.find()) {
            words.add(word.group(1));
        }
        words.set(0, java);
        return words;
    }

    /**
     * The container's command: {@code java}, the image's options (as the JVM would pick them up from
     * {@code JAVA_TOOL_OPTIONS}), {@code extraOptions}, then the rest of the entry point and {@code arguments}.
     */
    public List<String> command(Path tmp, List<String> extraOptions, List<String> arguments) {
        return command(java, javaToolOptions(tmp), extraOptions, arguments);
    }

    /** The entry point run by another {@code java} with other options in place of the image's (a comparison). */
    public List<String> command(
            String otherJava, List<String> toolOptions, List<String> extraOptions, List<String> arguments) {
        List<String> entry = entryPoint();
        List<String> command = new ArrayList<>();
        command.add(otherJava);
        command.addAll(toolOptions);
        command.addAll(extraOptions);
        command.addAll(entry.subList(1, entry.size()));
        command.addAll(arguments);
        return command;
    }

    /** The training run of the Dockerfile, {@code java} first. */
    public List<String> trainingRun() {
        return javaRunSteps().get(0);
    }

    private List<List<String>> javaRunSteps() {
        List<List<String>> steps = new ArrayList<>();
        Matcher m = Pattern.compile("^RUN (java .*)$", Pattern.MULTILINE).matcher(dockerfile);
        while (m.find()) {
            steps.add(words(m.group(1)));
        }
        return steps;
    }

    private static String joinContinuations(String text) {
        return text.replaceAll("\\\\\\n\\s*", " ");
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }

    static String run(Path directory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
