package io.salesync.common.config;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Layered configuration: built-in defaults, then an optional properties file, then environment
 * variables, then system properties; the last one that sets a key wins.
 *
 * <p>Keys are written {@code salesync.db.url}; the matching environment variable is
 * {@code SALESYNC_DB_URL} (upper case, dots and dashes become underscores). The defaults name every
 * key the application knows (with an empty value where there is no default), and only those keys are
 * looked up in the environment and the system properties. Every typed getter
 * throws {@link ConfigException} naming the key, its value and its origin when the value is unusable.
 * Immutable once loaded.
 */
public final class ConfigSource {

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private ConfigSource(Map<String, String> values, Map<String, String> origins) {
        this.values = Map.copyOf(values);
        this.origins = Map.copyOf(origins);
    }

    /** Loads from the real environment and system properties. */
    public static ConfigSource load(Map<String, String> defaults, Path file) {
        return load(defaults, file, System.getenv(), System.getProperties());
    }

    /**
     * Loads the layers in order of precedence, lowest first.
     *
     * @param defaults the built-in values, one entry for every known key
     * @param file     a properties file, or null for none; a named file that does not exist is an error
     * @param env      environment variables
     * @param system   system properties ({@code -Dsalesync.db.url=...})
     */
    public static ConfigSource load(
            Map<String, String> defaults, Path file, Map<String, String> env, Properties system) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        Map<String, String> origins = new LinkedHashMap<>();
        defaults.keySet().forEach(key -> origins.put(key, "default"));
        if (file != null) {
            Properties fromFile = readFile(file);
            for (String key : fromFile.stringPropertyNames()) {
                values.put(key, fromFile.getProperty(key).strip());
                origins.put(key, "file " + file);
            }
        }
        for (String key : List.copyOf(values.keySet())) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
                origins.put(key, "environment " + envName(key));
            }
        }
        for (String key : List.copyOf(values.keySet())) {
            String fromSystem = system.getProperty(key);
            if (fromSystem != null) {
                values.put(key, fromSystem);
                origins.put(key, "system property");
            }
        }
        return new ConfigSource(values, origins);
    }

    /** A source holding exactly these values, for tests and tools. */
    public static ConfigSource of(Map<String, String> values) {
        return load(values, null, Map.of(), new Properties());
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A copy with one value replaced, for derived configurations such as a test's own schema. */
    public ConfigSource with(String key, String value) {
        Map<String, String> newValues = new LinkedHashMap<>(values);
        Map<String, String> newOrigins = new LinkedHashMap<>(origins);
        newValues.put(key, value);
        newOrigins.put(key, "override");
        return new ConfigSource(newValues, newOrigins);
    }

    public Optional<String> optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    public String string(String key) {
        return optional(key)
                .orElseThrow(() -> new ConfigException("missing configuration value " + key
                        + " (set it in the configuration file or as " + envName(key) + ")"));
    }

    /** The raw value, possibly empty: for passwords, where empty is legitimate. */
    public String secret(String key) {
        String value = values.get(key);
        return value == null ? "" : value;
    }

    public int integer(String key, int min, int max) {
        String value = string(key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw invalid(key, "must be from " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number");
        }
    }

    public long longValue(String key, long min, long max) {
        String value = string(key);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw invalid(key, "must be from " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number");
        }
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean flag(String key) {
        String value = string(key);
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, "must be true or false");
    }

    public BigDecimal decimal(String key) {
        try {
            return new BigDecimal(string(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a decimal number such as 0.08");
        }
    }

    public URI uri(String key, String... schemes) {
        String value = string(key);
        try {
            URI uri = new URI(value);
            for (String scheme : schemes) {
                if (scheme.equalsIgnoreCase(uri.getScheme())) {
                    return uri;
                }
            }
            throw invalid(key, "must start with " + String.join(":// or ", schemes) + "://");
        } catch (URISyntaxException e) {
            throw invalid(key, "is not a valid URI");
        }
    }

    /** A ConfigException for a value that was read but is unusable. */
    public ConfigException invalid(String key, String why) {
        return new ConfigException("invalid configuration value " + key + "='" + values.get(key) + "' from "
                + origins.getOrDefault(key, "nowhere") + ": " + why);
    }

    /** Every effective value with its origin, one per line, values of secret-looking keys masked. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(values)
                .forEach((key, value) -> text.append("  ")
                        .append(key)
                        .append(" = ")
                        .append(isSecret(key) ? mask(value) : value)
                        .append("  (")
                        .append(origins.getOrDefault(key, "?"))
                        .append(")\n"));
        return text.toString();
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret");
    }

    private static String mask(String value) {
        return value == null || value.isEmpty() ? "(empty)" : "********";
    }

    private static Properties readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file.toAbsolutePath() + " does not exist");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot read configuration file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return properties;
    }
}
