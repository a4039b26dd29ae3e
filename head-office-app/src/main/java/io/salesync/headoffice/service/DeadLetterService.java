package io.salesync.headoffice.service;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.headoffice.model.DeadLetterEntry;
import io.salesync.headoffice.persistence.DeadLetterRepository;
import io.salesync.headoffice.persistence.DeadLetterRepository.StoredMessage;
import io.salesync.headoffice.service.DeadLetterRepublisher.RetryMessage;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages the consumer refused: list them, publish one again (it is validated again like any
 * other message, and refused again if it is still wrong), or discard it. The broker's dead-letter
 * queue keeps its own copy either way.
 */
public final class DeadLetterService {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterService.class);
    private static final int LIST_LIMIT = 1000;

    private final DeadLetterRepository repository;
    private final DeadLetterRepublisher republisher;
    private final DatabaseSettings settings;
    private final Clock clock;

    public DeadLetterService(
            DeadLetterRepository repository,
            DeadLetterRepublisher republisher,
            DatabaseSettings settings,
            Clock clock) {
        this.repository = repository;
        this.republisher = republisher;
        this.settings = settings;
        this.clock = clock;
    }

    /** Newest first, at most 1000; only the ones nobody handled unless {@code includeHandled}. */
    public List<DeadLetterEntry> list(boolean includeHandled) {
        EventThreadGuard.requireOffEventThread("reading dead letters");
        try {
            return repository.list(includeHandled, LIST_LIMIT);
        } catch (SQLException e) {
            throw storage("read the dead letters", e);
        }
    }

    /**
     * Publishes the message again, then marks it retried. If marking fails after the publish, a
     * second retry only sends a duplicate, which the head office ignores by version.
     *
     * @throws IllegalStateException when the message is gone, already handled, or its body was not kept
     * @throws DeadLetterRepublisher.RepublishException when the broker did not confirm it
     */
    public void retry(long id) {
        EventThreadGuard.requireOffEventThread("retrying a dead letter");
        StoredMessage message = find(id);
        if (message.body() == null) {
            throw new IllegalStateException(
                    "Message " + id + " cannot be retried: its body was not kept (it arrived before"
                            + " this version, or was larger than 1 MiB). The broker's dead-letter queue still has it.");
        }
        republisher.republish(new RetryMessage(
                id,
                message.routingKey(),
                message.messageId(),
                message.contentType(),
                message.messageType(),
                message.body()));
        log.info("Dead letter {} ({} from {}) published again", id, message.messageId(), message.routingKey());
        decide(id, DeadLetterEntry.RETRIED);
    }

    /** Marks the message discarded: nobody needs to look at it again. */
    public void discard(long id) {
        EventThreadGuard.requireOffEventThread("discarding a dead letter");
        find(id);
        decide(id, DeadLetterEntry.DISCARDED);
        log.info("Dead letter {} discarded", id);
    }

    private StoredMessage find(long id) {
        StoredMessage message;
        try {
            message = repository
                    .find(id)
                    .orElseThrow(
                            () -> new IllegalStateException("Message " + id + " is no longer in the dead-letter log."));
        } catch (SQLException e) {
            throw storage("read dead letter " + id, e);
        }
        if (!DeadLetterEntry.NEW.equals(message.status())) {
            throw new IllegalStateException("Message " + id + " was already " + message.status() + ".");
        }
        return message;
    }

    private void decide(long id, String status) {
        try {
            if (!repository.decide(id, status, clock.instant())) {
                throw new IllegalStateException("Message " + id + " was handled by someone else in the meantime.");
            }
        } catch (SQLException e) {
            throw storage("record the decision on dead letter " + id, e);
        }
    }

    private StorageException storage(String what, SQLException e) {
        return new StorageException("Could not " + what + ". " + Databases.unreachableMessage(settings, e), e);
    }
}
