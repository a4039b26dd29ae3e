package io.salesync.headoffice.service;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.BranchProgress;
import io.salesync.headoffice.model.HeadOfficeProcess;
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
 * Every branch's synchronisation health. The outbox backlog lives in the branch's own database,
 * which the head office cannot see in production, so it is reported as unknown (-1).
 */
public final class BranchHealthService {

    private final AggregateRepository repository;
    private final BranchRegistry registry;
    private final HealthQueries queries;
    private final VerificationRepository verification;
    private final ProcessRepository processes;
    private final DatabaseSettings settings;
    private final Duration gapReportAfter;
    private final Clock clock;

    public BranchHealthService(
            AggregateRepository repository,
            HealthQueries queries,
            VerificationRepository verification,
            ProcessRepository processes,
            DatabaseSettings settings,
            Duration gapReportAfter,
            Clock clock) {
        this.repository = repository;
        this.registry = new BranchRegistry(repository.dataSource());
        this.queries = queries;
        this.verification = verification;
        this.processes = processes;
        this.settings = settings;
        this.gapReportAfter = gapReportAfter;
        this.clock = clock;
    }

    /** One entry per branch registered or heard of (changes applied or messages refused), by branch id. */
    public List<BranchHealth> branches() {
        EventThreadGuard.requireOffEventThread("reading branch health");
        try {
            Map<String, BranchProgress> progress = repository.progress();
            Map<String, Long> rows = queries.liveRowsPerBranch();
            Map<String, DeadLetterCounts> deadLetters = queries.deadLettersPerBranch();
            Map<String, Verification> verifications = new HashMap<>();
            for (Verification v : verification.verifications()) {
                verifications.put(v.branchId(), v);
            }
            Map<String, RegisteredBranch> registered = registry.all();
            TreeSet<String> ids = new TreeSet<>(progress.keySet());
            ids.addAll(registered.keySet());
            ids.addAll(deadLetters.keySet());
            ids.addAll(rows.keySet());
            Instant newest = progress.values().stream()
                    .map(BranchProgress::lastMessageAt)
                    .max(Instant::compareTo)
                    .orElse(null);
            Instant now = clock.instant();
            List<BranchHealth> result = new ArrayList<>();
            for (String id : ids) {
                BranchProgress p = progress.get(id);
                DeadLetterCounts dl = deadLetters.getOrDefault(id, new DeadLetterCounts(0, 0));
                Verification v = verifications.get(id);
                boolean gapReported = v != null && v.gapReported(now, gapReportAfter);
                RegisteredBranch entry = registered.get(id);
                HealthRules.Verdict verdict = HealthRules.closedWins(
                        HealthRules.verify(
                                HealthRules.judge(
                                        p == null ? null : p.lastMessageAt(),
                                        p == null ? null : p.lastAppliedAt(),
                                        newest,
                                        now),
                                v,
                                gapReported),
                        entry == null ? null : entry.closedAt());
                result.add(new BranchHealth(
                        id,
                        p == null ? null : p.lastMessageAt(),
                        p == null ? null : p.lastAppliedAt(),
                        p == null ? 0 : p.lastSeq(),
                        rows.getOrDefault(id, 0L),
                        dl.total(),
                        dl.open(),
                        -1,
                        verdict.health(),
                        verdict.why(),
                        v,
                        gapReported));
            }
            return result;
        } catch (SQLException e) {
            throw new StorageException(
                    "Could not read the branches' health. " + Databases.unreachableMessage(settings, e), e);
        }
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
