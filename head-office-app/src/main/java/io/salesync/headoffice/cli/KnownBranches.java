package io.salesync.headoffice.cli;

import io.salesync.common.config.BranchDirectory;
import io.salesync.common.config.ConfigException;
import io.salesync.headoffice.model.RegisteredBranch;
import io.salesync.headoffice.persistence.BranchRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The branches a command may name: those in the head office's registry, those it has heard from,
 * and those configured in the configuration directory. A command naming another one is refused with
 * one line that lists them, before anything is created (no control queue for a typing mistake).
 */
final class KnownBranches {

    private KnownBranches() {}

    /**
     * @return the branch's registry entry, if it has one
     * @throws ConfigException when the head office does not know the branch
     */
    static Optional<RegisteredBranch> require(BranchRegistry registry, Path configDir, String branchId)
            throws SQLException {
        Map<String, RegisteredBranch> registered = registry.all();
        TreeSet<String> known = new TreeSet<>(registered.keySet());
        known.addAll(registry.heardOf());
        if (configDir != null) {
            known.addAll(BranchDirectory.branchIds(configDir));
        }
        if (!known.contains(branchId)) {
            throw new ConfigException("unknown branch '" + branchId + "': the head office knows "
                    + (known.isEmpty() ? "no branch yet" : String.join(", ", known))
                    + " (a new branch: ./salesync add-branch --id " + branchId + ")");
        }
        return Optional.ofNullable(registered.get(branchId));
    }
}
