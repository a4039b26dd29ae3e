package io.salesync.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The product's main sources stay readable: no file over {@value #MAX_LINES} lines, and types named
 * by import, not inline by their full names (unless another type of the same simple name is imported,
 * which Java leaves no other way to write). A file that breaks either rule fails with its name.
 */
class SourceShapeTest {

    static final int MAX_LINES = 400;

    private static final List<String> MODULES =
            List.of("common", "desktop", "branch-office-app", "head-office-app", "benchmark");

    /** A qualified type name in code: lower-case package segments, then an upper-case type name. */
    private static final Pattern QUALIFIED_TYPE =
            Pattern.compile("(?<![\\w.\"])(?:java|javax|com|org|io|net)(?:\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*");

    @Test
    void noMainSourceFileIsLongerThanTheLimit() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path file : mainSources()) {
            int lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                tooLong.add(file + " (" + lines + " lines)");
            }
        }
        assertThat(tooLong).as("main sources over " + MAX_LINES + " lines").isEmpty();
    }

    @Test
    void mainSourcesNameTypesByImport() throws IOException {
        List<String> inline = new ArrayList<>();
        for (Path file : mainSources()) {
            List<String> lines = Files.readAllLines(file);
            Set<String> imported = new HashSet<>();
            for (String line : lines) {
                if (line.startsWith("import ") && !line.startsWith("import static ")) {
                    imported.add(line.substring(line.lastIndexOf('.') + 1, line.length() - 1));
                }
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("import ")
                        || line.startsWith("package ")
                        || line.startsWith("*")
                        || line.startsWith("/*")
                        || line.startsWith("//")) {
                    continue;
                }
                Matcher qualified = QUALIFIED_TYPE.matcher(withoutStrings(line));
                while (qualified.find()) {
                    String name = qualified.group();
                    if (!imported.contains(name.substring(name.lastIndexOf('.') + 1))) {
                        inline.add(file + ":" + (i + 1) + ": " + line);
                        break;
                    }
                }
            }
        }
        assertThat(inline).as("inline fully-qualified type names in main code").isEmpty();
    }

    /** The line with its string literals emptied (a logger name or a message may spell a type out). */
    private static String withoutStrings(String line) {
        return line.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    }

    private static List<Path> mainSources() throws IOException {
        Path root = repositoryRoot();
        List<Path> sources = new ArrayList<>();
        for (String module : MODULES) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                files.filter(path -> path.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        return sources;
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/architecture.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no docs/architecture.md in " + Path.of("").toAbsolutePath() + " or above it");
    }
}
