package io.salesync.headoffice.service;

import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.event.BranchCommand;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import java.sql.SQLException;

/**
 * Records every request in the head office's database before it is sent: the head office honours
 * a branch's resync only when it asked for it, and paces its own requests to resend.
 */
public final class RecordingBranchRequests implements BranchRequests {

    private final BranchRequestRepository repository;
    private final BranchRequests sender;
    private final DatabaseSettings databaseSettings;

    public RecordingBranchRequests(
            BranchRequestRepository repository, BranchRequests sender, DatabaseSettings databaseSettings) {
        this.repository = repository;
        this.sender = sender;
        this.databaseSettings = databaseSettings;
    }

    @Override
    public void send(BranchCommand command) {
        try {
            repository.record(command);
        } catch (SQLException e) {
            throw new RequestException(
                    "The request was not sent: the head office could not record it. "
                            + Databases.unreachableMessage(databaseSettings, e),
                    e);
        }
        sender.send(command);
    }
}
