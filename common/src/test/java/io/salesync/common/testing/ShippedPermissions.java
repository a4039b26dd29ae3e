package io.salesync.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker permissions the deployment ships ({@code rabbitmq/definitions.json}, loaded by the
 * compose broker and by {@code scripts/setup-local-services.sh}), rewritten for a test's own names,
 * so that what the tests grant is exactly what is shipped. The file names the vhost prefix
 * {@code salesync} and the branch {@code bo1}; in every pattern {@code salesync\.} becomes the
 * test's prefix and {@code \.bo1} at the end of a name becomes the test's branch id, both escaped.
 */
public final class ShippedPermissions {

    /** A user's configure, write and read patterns, and its topic permission on one exchange. */
    public record Grant(
            String configure, String write, String read, String topicExchange, String topicWrite, String topicRead) {}

    static final String SHIPPED_PREFIX = "salesync";
    static final String SHIPPED_BRANCH = "bo1";
    static final String SHIPPED_HEAD_OFFICE = "ho";
    private static final String FILE = "rabbitmq/definitions.json";
    private static final Pattern SHIPPED_PREFIX_IN_PATTERN = Pattern.compile(Pattern.quote(SHIPPED_PREFIX + "\\."));
    private static final Pattern SHIPPED_BRANCH_IN_PATTERN =
            Pattern.compile(Pattern.quote("\\." + SHIPPED_BRANCH) + "(?=[$)|])");

    private ShippedPermissions() {}

    /** What the shipped file gives branch {@code bo1}, for branch {@code branchId} under {@code prefix}. */
    public static Grant branch(String prefix, String branchId) {
        return of(definitions(), SHIPPED_BRANCH, prefix, branchId);
    }

    /** What the shipped file gives the head office's user {@code ho}, under {@code prefix}. */
    public static Grant headOffice(String prefix) {
        return of(definitions(), SHIPPED_HEAD_OFFICE, prefix, SHIPPED_BRANCH);
    }

    /** The grant of {@code shippedUser} in {@code definitions}, with the names rewritten. */
    static Grant of(JsonNode definitions, String shippedUser, String prefix, String branchId) {
        JsonNode permission = entry(definitions.path("permissions"), shippedUser);
        JsonNode topic = entry(definitions.path("topic_permissions"), shippedUser);
        String exchange = topic.path("exchange").asText();
        if (!exchange.startsWith(SHIPPED_PREFIX + ".")) {
            throw new IllegalStateException(FILE + ": the topic permission of " + shippedUser + " is on '" + exchange
                    + "', not on an exchange named from the prefix " + SHIPPED_PREFIX);
        }
        return new Grant(
                rewrite(permission, "configure", prefix, branchId),
                rewrite(permission, "write", prefix, branchId),
                rewrite(permission, "read", prefix, branchId),
                prefix + exchange.substring(SHIPPED_PREFIX.length()),
                rewrite(topic, "write", prefix, branchId),
                rewrite(topic, "read", prefix, branchId));
    }

    /** The shipped file, found from the working directory upwards (a module's directory in a build). */
    static JsonNode definitions() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(FILE);
            if (Files.isRegularFile(file)) {
                try {
                    return new ObjectMapper().readTree(file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
        }
        throw new IllegalStateException("no " + FILE + " in " + Path.of("").toAbsolutePath() + " or above it");
    }

    private static JsonNode entry(JsonNode entries, String user) {
        JsonNode found = null;
        for (JsonNode entry : entries) {
            if (user.equals(entry.path("user").asText())
                    && !"/".equals(entry.path("vhost").asText())) {
                if (found != null) {
                    throw new IllegalStateException(
                            FILE + " has more than one entry for user " + user + " in " + entries);
                }
                found = entry;
            }
        }
        if (found == null) {
            throw new IllegalStateException(FILE + " has no entry for user " + user);
        }
        return found;
    }

    private static String rewrite(JsonNode entry, String field, String prefix, String branchId) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException(FILE + ": no '" + field + "' pattern in " + entry);
        }
        String pattern = SHIPPED_PREFIX_IN_PATTERN
                .matcher(value.asText())
                .replaceAll(Matcher.quoteReplacement(escape(prefix) + "\\."));
        return SHIPPED_BRANCH_IN_PATTERN
                .matcher(pattern)
                .replaceAll(Matcher.quoteReplacement("\\." + escape(branchId)));
    }

    /** A name as a regular expression matching exactly it (readable: only metacharacters escaped). */
    static String escape(String name) {
        return name.replaceAll("([\\\\.^$|?*+()\\[\\]{}])", "\\\\$1");
    }
}
