package io.salesync.bench.env;

import io.salesync.bench.Services;
import io.salesync.common.amqp.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What runs that were killed, or kept with {@code --keep}, left behind: their schemas
 * ({@code bench_<run>_<scenario>_<name>}) and, named after the same run and scenario, their
 * exchanges and queues. {@code ./salesync bench --clean} removes them.
 */
public final class Leftovers {

    private static final Pattern SCHEMA = Pattern.compile("bench_([0-9a-f]{6})_([a-z0-9]+)_([a-z0-9_]+)");

    private Leftovers() {}

    /** Drops every benchmark schema and deletes the broker names of the same runs; returns how many schemas. */
    public static int remove(Services services, Consumer<String> say) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Connection connection = services.mysql();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'bench\\\\_%'")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        Map<String, Set<String>> prefixes = new LinkedHashMap<>();
        for (String schema : schemas) {
            Matcher matcher = SCHEMA.matcher(schema);
            if (matcher.matches()) {
                // every schema but the head office's is a branch, named after it
                Set<String> branches = prefixes.computeIfAbsent(
                        "bench-" + matcher.group(1) + "-" + matcher.group(2), prefix -> new LinkedHashSet<>());
                if (!matcher.group(3).equals("ho")) {
                    branches.add(matcher.group(3));
                }
                services.dropSchema(schema);
                say.accept("dropped schema " + schema);
            }
        }
        for (Map.Entry<String, Set<String>> entry : prefixes.entrySet()) {
            String prefix = entry.getKey();
            Topology topology = new Topology(prefix);
            // A passive check would close the channel on a missing queue; deleting a missing one is harmless.
            services.withChannel("clean", channel -> {
                channel.queueDelete(topology.salesQueue());
                channel.queueDelete(topology.deadLetterQueue());
                channel.exchangeDelete(topology.salesExchange());
                channel.exchangeDelete(topology.deadLetterExchange());
                for (String branchId : entry.getValue()) {
                    channel.queueDelete(topology.controlQueue(branchId));
                }
                channel.exchangeDelete(topology.controlExchange());
            });
            say.accept("deleted the queues and exchanges named " + prefix + ".*");
        }
        return schemas.size();
    }
}
