package io.salesync.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The figures as JSON, for tools and for comparing runs. */
public final class JsonReport {

    private JsonReport() {}

    public static void write(Path file, Figures figures) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
    }

    public static Figures read(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), Figures.class);
    }
}
