package io.salesync.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.testing.Sandbox;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pool whose first connection is lost while the pool reads the server's default isolation level
 * (the server went away just as the application started) hands out connections once the server
 * answers. HikariCP reads that level once per pool; when the read fails it kept no level and then
 * tried to set an invalid one on every new connection, so the pool never gave one out again.
 */
class PoolStartIT {

    private final Sandbox sandbox = new Sandbox();

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void aConnectionLostWhileThePoolReadsTheIsolationLevelDoesNotBreakThePool() throws Exception {
        String url = sandbox.mysql().url(sandbox.schema("pool")) + "?socketFactory=" + LoseTheFirstPing.class.getName();
        DatabaseSettings settings = new DatabaseSettings(
                url, sandbox.mysql().user(), sandbox.mysql().password(), 1);
        for (boolean transactionMode : new boolean[] {true, false}) {
            LoseTheFirstPing.armed.set(true);
            try (HikariDataSource pool = transactionMode
                    ? Databases.transactionPool(settings, "test-isolation-tx", 1)
                    : Databases.pool(settings, "test-isolation")) {
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                    try (Connection connection = pool.getConnection();
                            Statement statement = connection.createStatement();
                            ResultSet rs = statement.executeQuery("SELECT 1")) {
                        assertThat(rs.next()).isTrue();
                    }
                });
                assertThat(LoseTheFirstPing.armed)
                        .as("the connection was lost at its first ping")
                        .isFalse();
            }
        }
    }

    /**
     * Sockets for the driver ({@code socketFactory} in the URL) that lose the connection at the
     * first ping after being armed: the pool pings a new connection just before it reads the
     * isolation level, which then meets a closed connection, as when the server goes away then.
     */
    public static final class LoseTheFirstPing extends StandardSocketFactory {

        private static final byte COM_PING = 0x0e;
        static final AtomicBoolean armed = new AtomicBoolean();

        @Override
        protected Socket createSocket(PropertySet properties) {
            return new Socket() {
                @Override
                public OutputStream getOutputStream() throws IOException {
                    OutputStream out = super.getOutputStream();
                    Socket socket = this;
                    return new FilterOutputStream(out) {
                        @Override
                        public void write(byte[] bytes, int offset, int length) throws IOException {
                            if (isPing(bytes, offset, length) && armed.compareAndSet(true, false)) {
                                socket.close();
                                throw new SocketException("connection lost by the test");
                            }
                            out.write(bytes, offset, length);
                        }
                    };
                }
            };
        }
    }

    /** A packet of one byte (three bytes of length, one of sequence), the command COM_PING. */
    private static boolean isPing(byte[] bytes, int offset, int length) {
        return length == 5
                && bytes[offset] == 1
                && bytes[offset + 1] == 0
                && bytes[offset + 2] == 0
                && bytes[offset + 4] == LoseTheFirstPing.COM_PING;
    }
}
