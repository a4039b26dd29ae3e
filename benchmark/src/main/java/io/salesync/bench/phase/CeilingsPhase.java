package io.salesync.bench.phase;

import io.salesync.bench.env.ProcStats;
import io.salesync.bench.report.Figures.BrokerCeiling;
import io.salesync.bench.report.Figures.Ceilings;
import io.salesync.bench.report.Figures.MysqlCeiling;
import io.salesync.bench.workload.ChangeMaker;
import io.salesync.bench.workload.ChangeMix;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import java.time.Instant;
import java.util.Locale;

/** The ceilings of this machine, measured in the same run: the broker alone, then MySQL alone. */
public final class CeilingsPhase {

    private final RunContext context;

    public CeilingsPhase(RunContext context) {
        this.context = context;
    }

    public Ceilings run() throws Exception {
        int messages = context.options().ceilingMessages();
        ProcStats.CpuWindow cpu = ProcStats.CpuWindow.start(context.serverPids());
        byte[] body = sampleBody();
        context.say()
                .accept(String.format(
                        Locale.ROOT,
                        "ceilings: broker, %,d messages of %d bytes, then latency at the offered rate ...",
                        messages,
                        body.length));
        BrokerCeiling broker = new BrokerRate(
                        context.services(), new Topology(context.services().brokerPrefix("ceiling")), body)
                .measure(
                        messages,
                        context.options().rate(),
                        context.options().smoke()
                                ? 1
                                : Math.min(10, context.options().durationSeconds()));
        int rows = context.options().ceilingRows();
        context.say()
                .accept(String.format(
                        Locale.ROOT,
                        "ceilings: MySQL, %,d rows in batches of %d, three ways, twice ...",
                        rows,
                        MysqlRate.BATCH));
        MysqlCeiling mysql = new MysqlRate(
                        context.services(), context.services().schemaName("ceiling", "ho"))
                .measure(rows, context.options().mix());
        return new Ceilings(broker, mysql, cpu.stop());
    }

    /** A real change message: what the relays send. */
    private static byte[] sampleBody() {
        return new SaleChangeCodec()
                .encode(SaleChange.of(
                        123_456, Instant.now(), new ChangeMaker("b001", ChangeMix.parse("1:0:0"), 1).next()));
    }
}
