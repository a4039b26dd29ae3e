package io.salesync.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatusBoardTest {

    private record Counts(int applied, String problem) {}

    private static final class Board extends StatusBoard<Counts> {
        Board(List<Counts> told) {
            super(new Counts(0, null), told::add);
        }
    }

    @Test
    void theListenerHearsOfAChangeOnlyWhenTheStatusDiffers() {
        List<Counts> told = new CopyOnWriteArrayList<>();
        Board board = new Board(told);

        board.update(s -> new Counts(s.applied(), "Cannot reach MySQL"));
        board.update(s -> new Counts(s.applied(), "Cannot reach MySQL"));
        board.update(s -> new Counts(s.applied() + 1, null));

        assertThat(told).containsExactly(new Counts(0, "Cannot reach MySQL"), new Counts(1, null));
        assertThat(board.current()).isEqualTo(new Counts(1, null));
    }

    @Test
    void changesFromManyThreadsAreAllApplied() throws Exception {
        Board board = new Board(new CopyOnWriteArrayList<>());
        int threads = 4;
        int each = 10_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        board.update(s -> new Counts(s.applied() + 1, s.problem()));
                    }
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(board.current().applied()).isEqualTo(threads * each);
    }
}
