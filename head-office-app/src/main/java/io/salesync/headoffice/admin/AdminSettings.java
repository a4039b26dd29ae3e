package io.salesync.headoffice.admin;

import io.salesync.common.amqp.BrokerSettings;
import java.net.URI;
import java.util.Map;

/**
 * The administrator credentials {@code add-branch} and {@code remove-branch} use, from the
 * environment only (never from a file or the command line):
 *
 * <ul>
 *   <li>{@code SALESYNC_ADMIN_DB_USER} (default {@code root}) and {@code SALESYNC_ADMIN_DB_PASSWORD}
 *       (default empty): a MySQL user that may create schemas and users and grant on them;</li>
 *   <li>{@code SALESYNC_ADMIN_BROKER_USER} / {@code SALESYNC_ADMIN_BROKER_PASSWORD} (default
 *       {@code guest}/{@code guest}): a RabbitMQ user with the administrator tag;</li>
 *   <li>{@code SALESYNC_ADMIN_BROKER_MANAGEMENT_URL} (default {@code http://<broker host>:15672}):
 *       the RabbitMQ management API.</li>
 * </ul>
 */
public record AdminSettings(
        String databaseUser, String databasePassword, String brokerUser, String brokerPassword, URI management) {

    public static final String DB_USER = "SALESYNC_ADMIN_DB_USER";
    public static final String DB_PASSWORD = "SALESYNC_ADMIN_DB_PASSWORD";
    public static final String BROKER_USER = "SALESYNC_ADMIN_BROKER_USER";
    public static final String BROKER_PASSWORD = "SALESYNC_ADMIN_BROKER_PASSWORD";
    public static final String MANAGEMENT_URL = "SALESYNC_ADMIN_BROKER_MANAGEMENT_URL";

    /** From {@code environment}, for the broker the head office uses. */
    public static AdminSettings from(Map<String, String> environment, BrokerSettings broker) {
        String host =
                broker.clustered() ? broker.nodes().get(0).host() : broker.uri().getHost();
        String management = environment.get(MANAGEMENT_URL);
        return new AdminSettings(
                environment.getOrDefault(DB_USER, "root"),
                environment.getOrDefault(DB_PASSWORD, ""),
                environment.getOrDefault(BROKER_USER, "guest"),
                environment.getOrDefault(BROKER_PASSWORD, "guest"),
                URI.create(management != null && !management.isBlank() ? management : "http://" + host + ":15672"));
    }

    @Override
    public String toString() {
        return "AdminSettings[databaseUser=" + databaseUser + ", databasePassword=********, brokerUser=" + brokerUser
                + ", brokerPassword=********, management=" + management + "]";
    }
}
