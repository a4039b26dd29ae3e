package io.salesync.headoffice.service;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.BranchProgress;
import io.salesync.headoffice.model.HeadOfficeProcess;
import io.salesync.headoffice.model.LastHeartbeat;
import io.salesync.headoffice.model.RegisteredBranch;
import io.salesync.headoffice.model.Verification;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.BranchRegistry;
import io.salesync.headoffice.persistence.HealthQueries;
import io.salesync.headoffice.persistence.HealthQueries.DeadLetterCounts;
import io.salesync.headoffice.persistence.ProcessRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every branch's synchronisation health, from one query per table over all branches (progress, live
 * rows, dead letters, heartbeats, verification), however many branches there are. The outbox
 * backlog is what the branch's latest heartbeat said, unknown (-1) without one.
 */
public final class BranchHealthService {

    private final AggregateRepository repository;
    private final BranchRegistry registry;
    private final HealthQueries queries;
    private final VerificationRepository verification;
    private final ProcessRepository processes;
    private final DatabaseSettings settings;
    private final Duration gapReportAfter;
    private final Duration silentAfter;
    private final Clock clock;

    public BranchHealthService(
            AggregateRepository repository,
            HealthQueries queries,
            VerificationRepository verification,
            ProcessRepository processes,
            DatabaseSettings settings,
            Duration gapReportAfter,
            Duration silentAfter,
            Clock clock) {
        this.repository = repository;
        this.registry = new BranchRegistry(repository.dataSource());
        this.queries = queries;
        this.verification = verification;
        this.processes = processes;
        this.settings = settings;
        this.gapReportAfter = gapReportAfter;
        this.silentAfter = silentAfter;
        this.clock = clock;
    }

    /** One entry per branch registered or heard of (changes applied, messages refused or heartbeats), by branch id. */
    public List<BranchHealth> branches() {
        EventThreadGuard.requireOffEventThread("reading branch health");
        try {
            Map<String, BranchProgress> progress = repository.progress();
            Map<String, Long> rows = queries.liveRowsPerBranch();
            Map<String, DeadLetterCounts> deadLetters = queries.deadLettersPerBranch();
            Map<String, LastHeartbeat> heartbeats = queries.lastHeartbeats();
            Map<String, Verification> verifications = new HashMap<>();
            for (Verification v : verification.verifications()) {
                verifications.put(v.branchId(), v);
            }
            Map<String, RegisteredBranch> registered = registry.all();
            TreeSet<String> ids = new TreeSet<>(progress.keySet());
            ids.addAll(registered.keySet());
            ids.addAll(deadLetters.keySet());
            ids.addAll(rows.keySet());
            ids.addAll(heartbeats.keySet());
            Instant now = clock.instant();
            List<BranchHealth> result = new ArrayList<>(ids.size());
            for (String id : ids) {
                result.add(judge(
                        id,
                        progress.get(id),
                        heartbeats.get(id),
                        verifications.get(id),
                        rows.getOrDefault(id, 0L),
                        deadLetters.getOrDefault(id, new DeadLetterCounts(0, 0)),
                        registered.get(id),
                        now));
            }
            return result;
        } catch (SQLException e) {
            throw new StorageException(
                    "Could not read the branches' health. " + Databases.unreachableMessage(settings, e), e);
        }
    }

    private BranchHealth judge(
            String id,
            BranchProgress p,
            LastHeartbeat heartbeat,
            Verification v,
            long rows,
            DeadLetterCounts dl,
            RegisteredBranch entry,
            Instant now) {
        long appliedThrough = v != null ? v.contiguousSeq() : p != null ? p.lastSeq() : 0;
        HealthRules.Signals signals = new HealthRules.Signals(
                p == null ? null : p.lastAppliedAt(),
                heartbeat == null ? null : heartbeat.receivedAt(),
                heartbeat == null ? 0 : heartbeat.lastSeq(),
                heartbeat == null ? 0 : heartbeat.previousLastSeq(),
                heartbeat == null ? 0 : heartbeat.unconfirmed(),
                appliedThrough,
                v == null ? null : v.gapSince());
        boolean gapReported = v != null && v.gapReported(now, gapReportAfter);
        HealthRules.Verdict verdict = HealthRules.closedWins(
                HealthRules.verify(HealthRules.judge(signals, silentAfter, now), v, gapReported),
                entry == null ? null : entry.closedAt());
        return new BranchHealth(
                id,
                p == null ? null : p.lastMessageAt(),
                p == null ? null : p.lastAppliedAt(),
                p == null ? 0 : p.lastSeq(),
                rows,
                dl.total(),
                dl.open(),
                heartbeat == null ? -1 : heartbeat.unconfirmed(),
                verdict.health(),
                verdict.why(),
                v,
                gapReported,
                heartbeat == null ? null : heartbeat.receivedAt(),
                heartbeat == null ? 0 : heartbeat.lastSeq());
    }

    /** The head-office processes that consume the queue, heard from lately; the active one first. */
    public List<HeadOfficeProcess> processes() {
        EventThreadGuard.requireOffEventThread("reading the head-office processes");
        try {
            return processes.seenSince(clock.instant().minus(HeadOfficeProcess.SEEN_WITHIN));
        } catch (SQLException e) {
            throw new StorageException(
                    "Could not read which head-office process consumes. " + Databases.unreachableMessage(settings, e),
                    e);
        }
    }
}
