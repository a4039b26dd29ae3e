package io.salesync.headoffice.service;

import io.salesync.common.config.BranchDirectory;
import io.salesync.common.db.BranchSchema;
import io.salesync.common.db.DatabaseProblem;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.SaleChecksum;
import io.salesync.headoffice.model.BranchProgress;
import io.salesync.headoffice.persistence.AggregateRepository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Compares every configured branch with the head office: rows and checksum at both ends, the
 * branch's outbox backlog and the highest sequence applied. A branch matches when the head office
 * holds exactly the versions the branch holds and nothing is left to send or apply.
 */
public final class SyncStatus {

    /** One branch's comparison; {@code problem} is set when the branch could not be read. */
    public record BranchReport(
            String branchId,
            SaleChecksum.Figures atBranch,
            SaleChecksum.Figures atHeadOffice,
            long backlog,
            long branchLastSeq,
            long appliedSeq,
            String problem) {

        public boolean matched() {
            return problem == null && backlog == 0 && branchLastSeq == appliedSeq && atBranch.matches(atHeadOffice);
        }

        /** A word or two for the table: matched, sending, applying, diverged or unavailable. */
        public String verdict() {
            if (problem != null) {
                return "unavailable";
            }
            if (matched()) {
                return "matched";
            }
            if (backlog > 0) {
                return "sending";
            }
            if (appliedSeq < branchLastSeq) {
                return "applying";
            }
            return "diverged";
        }
    }

    private final AggregateRepository headOffice;

    public SyncStatus(AggregateRepository headOffice) {
        this.headOffice = headOffice;
    }

    /** Reports on each branch that has a configuration file in {@code configDirectory}. */
    public List<BranchReport> report(Path configDirectory) throws SQLException {
        Map<String, BranchProgress> progress = headOffice.progress();
        List<BranchReport> reports = new ArrayList<>();
        for (String branchId : BranchDirectory.branchIds(configDirectory)) {
            SaleChecksum.Figures atHeadOffice = headOffice.figures(branchId);
            long applied =
                    progress.containsKey(branchId) ? progress.get(branchId).lastSeq() : 0;
            DatabaseSettings branchDb = BranchDirectory.database(configDirectory, branchId);
            try (Connection connection = connect(branchDb)) {
                reports.add(new BranchReport(
                        branchId,
                        figures(connection),
                        atHeadOffice,
                        single(connection, BranchSchema.BACKLOG),
                        single(connection, BranchSchema.LAST_SEQ),
                        applied,
                        null));
            } catch (SQLException e) {
                reports.add(new BranchReport(
                        branchId,
                        null,
                        atHeadOffice,
                        -1,
                        -1,
                        applied,
                        problem(branchDb, e, BranchDirectory.fileOf(configDirectory, branchId))));
            }
        }
        return reports;
    }

    /**
     * What went wrong reading a branch; for a refused user, a missing database or a missing right
     * also the file the keys it names are in (status reads them from there, not from the
     * environment).
     */
    private static String problem(DatabaseSettings branchDb, SQLException e, Path file) {
        DatabaseProblem problem = Databases.problem(branchDb, e);
        return problem.kind().configuration()
                ? problem.sentence() + " Status reads the branch's settings from " + file + "."
                : problem.sentence();
    }

    private static Connection connect(DatabaseSettings settings) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        properties.setProperty("connectTimeout", "5000");
        properties.setProperty("socketTimeout", "60000");
        return DriverManager.getConnection(settings.url(), properties);
    }

    private static SaleChecksum.Figures figures(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BranchSchema.FIGURES);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return SaleChecksum.read(rs, 1);
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
