package io.salesync.bench.env;

import com.rabbitmq.client.Channel;
import io.salesync.bench.BenchOptions;
import io.salesync.bench.Services;
import io.salesync.bench.workload.BacklogWriter;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.common.amqp.Topology;
import io.salesync.common.config.ConfigSource;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One head office and N branches with schemas and broker names of their own: the real
 * {@link BranchOffice} assemblies (headless, in this JVM) and the real head office as a child
 * process. Prepares the backlog, starts and stops the parts, inspects the queue, compares the
 * branches with the head office, and removes everything again on close (unless asked to keep it).
 *
 * <p>Branches connect to the broker as the benchmark's broker user, which is also the head office's
 * user; the head office accepts its own user's messages for any branch, so nothing is
 * dead-lettered for the sender. The broker still checks every message's {@code user_id}.
 */
public final class Scenario implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scenario.class);

    private final Services services;
    private final BenchOptions options;
    private final String name;
    private final int branchPoolSize;
    private final Path directory;
    private final Consumer<String> say;
    private final List<String> branchIds = new ArrayList<>();
    private final List<BranchOffice> branches = Collections.synchronizedList(new ArrayList<>());
    private final Topology topology;
    private final String headOfficeSchema;
    private final List<String> schemas = new ArrayList<>();
    private HeadOfficeProcess headOffice;
    private com.rabbitmq.client.Connection inspector;
    private Channel inspectorChannel;

    public Scenario(
            Services services,
            BenchOptions options,
            String name,
            int branchCount,
            int branchPoolSize,
            Path directory,
            Consumer<String> say) {
        this.services = services;
        this.options = options;
        this.name = name;
        this.branchPoolSize = branchPoolSize;
        this.directory = directory.resolve(name);
        this.say = say;
        this.topology = new Topology(services.brokerPrefix(name));
        this.headOfficeSchema = services.schemaName(name, "ho");
        for (int i = 1; i <= branchCount; i++) {
            branchIds.add(String.format("b%03d", i));
        }
    }

    public String name() {
        return name;
    }

    public List<String> branchIds() {
        return branchIds;
    }

    public List<BranchOffice> branches() {
        return branches;
    }

    public Topology topology() {
        return topology;
    }

    /** Creates the schemas and declares the topology, as a head office that has run once would have. */
    public void createSchemas() throws Exception {
        services.createSchema(headOfficeSchema);
        schemas.add(headOfficeSchema);
        for (String id : branchIds) {
            String schema = services.schemaName(name, id);
            services.createSchema(schema);
            schemas.add(schema);
        }
        services.withChannel("declare-" + name, topology::declare);
    }

    /** Opens every branch (its pool and its migrations), four at a time; the relays are not started. */
    public void openBranches() throws Exception {
        inParallel(branchIds.size(), i -> {
            branches.add(BranchOffice.open(branchConfig(branchIds.get(i)), status -> {}));
            return null;
        });
        branches.sort((a, b) -> a.config().branchId().compareTo(b.config().branchId()));
    }

    private BranchConfig branchConfig(String id) {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults(id));
        values.putAll(services.databaseKeys(services.schemaName(name, id), branchPoolSize));
        values.putAll(services.brokerKeys(services.brokerPrefix(name)));
        values.putAll(options.branchSettings());
        return BranchConfig.from(ConfigSource.of(values));
    }

    /** The head office's configuration keys: defaults, this scenario's schema and names, then the run's overrides. */
    public Map<String, String> headOfficeSettings() {
        Map<String, String> values = new LinkedHashMap<>(HeadOfficeConfig.defaults());
        values.putAll(services.databaseKeys(
                headOfficeSchema, Integer.parseInt(HeadOfficeConfig.defaults().get("salesync.db.pool-size"))));
        if (!options.headOfficeJdbcParams().isEmpty()) {
            String url = values.get("salesync.db.url");
            values.put("salesync.db.url", url + (url.contains("?") ? "&" : "?") + options.headOfficeJdbcParams());
        }
        values.putAll(services.brokerKeys(services.brokerPrefix(name)));
        values.putAll(options.headOfficeSettings());
        HeadOfficeConfig.from(ConfigSource.of(values)); // fails here, naming the key, rather than in the child
        return values;
    }

    /** Writes {@code perBranch} changes into every branch, {@code threads} branches at a time. */
    public List<BacklogWriter.Written> writeBacklogs(int perBranch, int threads) throws Exception {
        List<BacklogWriter.Written> written = Collections.synchronizedList(new ArrayList<>());
        inParallel(branchIds.size(), Math.min(threads, branchIds.size()), i -> {
            BranchOffice branch = branches.get(i);
            written.add(new BacklogWriter(
                            branch.config().branchId(), branch.config().database(), options.mix())
                    .write(perBranch, 1_000L + i));
            return null;
        });
        return written;
    }

    /** A backlog for every branch in a transaction left open ({@link BacklogWriter#hold}); the caller closes them. */
    public List<BacklogWriter.Held> holdBacklogs(int perBranch, int threads, long seed) throws Exception {
        List<BacklogWriter.Held> held = Collections.synchronizedList(new ArrayList<>());
        try {
            inParallel(branchIds.size(), Math.min(threads, branchIds.size()), i -> {
                BranchOffice branch = branches.get(i);
                held.add(new BacklogWriter(
                                branch.config().branchId(), branch.config().database(), options.mix())
                        .hold(perBranch, seed + i));
                return null;
            });
        } catch (Exception e) {
            BacklogWriter.Held.closeAll(held);
            throw e;
        }
        return held;
    }

    public void startRelays() {
        branches.forEach(BranchOffice::startRelay);
    }

    /** Highest outbox sequence of every branch: what the head office must reach. */
    public Map<String, Long> lastSeqs() throws SQLException {
        Map<String, Long> last = new LinkedHashMap<>();
        for (BranchOffice branch : branches) {
            last.put(branch.config().branchId(), branch.outbox().lastSeq());
        }
        return last;
    }

    /** Changes not yet confirmed by the broker, over all branches. */
    public long outboxBacklog() throws SQLException {
        long backlog = 0;
        for (BranchOffice branch : branches) {
            backlog += branch.outbox().backlog();
        }
        return backlog;
    }

    public HeadOfficeProcess startHeadOffice() throws IOException {
        headOffice = HeadOfficeProcess.start(
                directory, headOfficeSettings(), options.headOfficeHeap(), options.headOfficeJavaOptions());
        return headOffice;
    }

    /**
     * Waits until the head office's consumer has subscribed to its queue (seen by polling the
     * queue's consumer count every 5 ms); returns that moment.
     */
    public long awaitConsumer(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (queueState()[1] > 0) {
                return System.nanoTime();
            }
            headOffice.requireAlive();
            Thread.sleep(5);
        }
        throw new IllegalStateException("the head office did not start consuming within " + timeout.toSeconds()
                + " s; the end of its log:\n" + headOffice.logTail(20));
    }

    public HeadOfficeProcess headOffice() {
        return headOffice;
    }

    public void stopHeadOffice() {
        if (headOffice != null) {
            headOffice.close();
        }
    }

    /** A watch on the head office's committed progress. */
    public ProgressWatch watch(Duration interval) {
        return new ProgressWatch(
                services.schemaUrl(headOfficeSchema),
                services.endpoints().mysqlUser(),
                services.endpoints().mysqlPassword(),
                interval);
    }

    /** Ready messages in the head office's queue, and its consumers. */
    public long[] queueState() throws IOException {
        if (inspectorChannel == null || !inspectorChannel.isOpen()) {
            if (inspector == null || !inspector.isOpen()) {
                inspector = services.amqp("inspect-" + name);
            }
            inspectorChannel = inspector.createChannel();
        }
        var ok = inspectorChannel.queueDeclarePassive(topology.salesQueue());
        return new long[] {ok.getMessageCount(), ok.getConsumerCount()};
    }

    /** Compares every branch with the head office row by row. */
    public Verification.Outcome verify() throws Exception {
        try (Connection headOfficeConnection = connect(headOfficeSchema)) {
            return Verification.compare(
                    branchIds,
                    id -> connect(services.schemaName(name, id)),
                    headOfficeConnection,
                    branchMessagesLeft());
        }
    }

    /**
     * The branches' messages still in the head office's queue or in the dead-letter queue. The head
     * office's own heartbeats are not counted: one published while a backlog waited expires in the
     * queue (after {@code SILENCE}) and the broker dead-letters it, and one is delivered every few
     * seconds, so the queue holds one for a moment.
     */
    private long branchMessagesLeft() throws IOException, InterruptedException {
        long inQueue = queueState()[0];
        for (int wait = 0; inQueue > 0 && wait < 50; wait++) {
            Thread.sleep(100);
            inQueue = queueState()[0];
        }
        long left = inQueue;
        long heartbeats = 0;
        Channel browse = inspector.createChannel();
        try {
            long dead = browse.queueDeclarePassive(topology.deadLetterQueue()).getMessageCount();
            for (long i = 0; i < dead; i++) {
                var message = browse.basicGet(topology.deadLetterQueue(), false);
                if (message == null) {
                    break;
                }
                if (Topology.HEARTBEAT_ROUTING_KEY.equals(message.getEnvelope().getRoutingKey())) {
                    heartbeats++;
                } else {
                    left++;
                }
            }
        } finally {
            browse.abort(); // what was taken goes back to the queue
        }
        if (heartbeats > 0) {
            say.accept(String.format(
                    "%s: %d heartbeat(s) of the head office expired in its queue and were dead-lettered (not counted)",
                    name, heartbeats));
        }
        return left;
    }

    public Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(
                services.schemaUrl(schema),
                services.endpoints().mysqlUser(),
                services.endpoints().mysqlPassword());
    }

    public String headOfficeSchema() {
        return headOfficeSchema;
    }

    public String branchSchema(String branchId) {
        return services.schemaName(name, branchId);
    }

    /** Stops the relays and the head office; drops the schemas and deletes the queues unless told to keep them. */
    @Override
    public void close() {
        try {
            inParallel(branches.size(), i -> {
                branches.get(i).close();
                return null;
            });
        } catch (Exception e) {
            log.warn("Closing the branches of {}: {}", name, e.getMessage());
        }
        stopHeadOffice();
        if (inspector != null && inspector.isOpen()) {
            try {
                inspector.close();
            } catch (IOException e) {
                log.debug("Closing the inspector: {}", e.getMessage());
            }
        }
        if (options.keep()) {
            say.accept("kept: schemas " + headOfficeSchema + " and " + services.schemaName(name, "b...") + ", queue "
                    + topology.salesQueue());
            return;
        }
        try {
            services.withChannel("cleanup-" + name, channel -> {
                channel.queueDelete(topology.salesQueue());
                channel.queueDelete(topology.deadLetterQueue());
                channel.exchangeDelete(topology.salesExchange());
                channel.exchangeDelete(topology.deadLetterExchange());
                for (String id : branchIds) {
                    channel.queueDelete(topology.controlQueue(id));
                }
                channel.exchangeDelete(topology.controlExchange());
            });
        } catch (RuntimeException e) {
            log.warn("Deleting the queues of {}: {}", name, e.getMessage());
        }
        for (String schema : schemas) {
            try {
                services.dropSchema(schema);
            } catch (SQLException e) {
                log.warn("Dropping {}: {}", schema, e.getMessage());
            }
        }
    }

    /** Work on item i. */
    @FunctionalInterface
    private interface Item {
        Void run(int i) throws Exception;
    }

    private static void inParallel(int count, Item item) throws Exception {
        inParallel(count, 4, item);
    }

    private static void inParallel(int count, int threads, Item item) throws Exception {
        if (count == 0) {
            return;
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread thread = new Thread(runnable, "bench-setup");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(executor.submit((Callable<Void>) () -> item.run(index)));
            }
            for (Future<Void> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
