package io.salesync.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md names every class of the product (the modules common, desktop and the two
 * applications): a class added without a line there, or renamed, fails this test with its name.
 */
class ArchitecturePageTest {

    private static final List<String> MODULES = List.of("common", "desktop", "branch-office-app", "head-office-app");

    @Test
    void everyClassOfTheProductIsNamedOnTheArchitecturePage() throws IOException {
        Path root = repositoryRoot();
        String page = Files.readString(root.resolve("docs/architecture.md"));
        List<String> missing = new ArrayList<>();
        for (String module : MODULES) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                files.map(path -> path.getFileName().toString())
                        .filter(name -> name.endsWith(".java") && !name.equals("package-info.java"))
                        .map(name -> name.substring(0, name.length() - ".java".length()))
                        .filter(name -> !page.contains("`" + name + "`"))
                        .forEach(name -> missing.add(module + ": " + name));
            }
        }
        assertThat(missing)
                .as("classes docs/architecture.md does not name (as `Name`)")
                .isEmpty();
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
