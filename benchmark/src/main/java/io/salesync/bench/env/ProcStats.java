package io.salesync.bench.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time and memory of processes, read from Linux's {@code /proc}. Elsewhere every figure is
 * unknown (-1) rather than wrong. CPU times are in clock ticks of 10 ms ({@code USER_HZ} = 100, as
 * on every common Linux).
 */
public final class ProcStats {

    private static final double TICKS_PER_SECOND = 100;
    /** The keys of a CPU window's figures that are not a watched process. */
    public static final String OTHER = "other";

    public static final String MACHINE = "machine";
    public static final String STOLEN = "taken by the host";
    public static final Set<String> NOT_PROCESSES = Set.of(OTHER, MACHINE, STOLEN);

    private ProcStats() {}

    /**
     * The processes a run watches, by a name for people: this JVM (the branches), and the MySQL
     * server and RabbitMQ node that listen on the given local ports (other instances on the machine,
     * such as other people's test servers, are not taken for them). A server that is not local, or
     * not found, is left out.
     */
    public static Map<String, Long> serverPids(int mysqlPort, int amqpPort) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(THIS_JVM, ProcessHandle.current().pid());
        pidListeningOn(mysqlPort).ifPresent(pid -> pids.put("mysql", pid));
        pidListeningOn(amqpPort).ifPresent(pid -> pids.put("rabbitmq", pid));
        return pids;
    }

    /** The process with a listening TCP socket on the port, from /proc/net/tcp{,6} and the processes' descriptors. */
    static Optional<Long> pidListeningOn(int port) {
        if (port <= 0) {
            return Optional.empty();
        }
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    // sl local_address rem_address st ... inode: LISTEN is state 0A
                    if (fields.length > 9
                            && fields[1].endsWith(String.format(":%04X", port))
                            && fields[3].equals("0A")) {
                        inodes.add("socket:[" + fields[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or no IPv6
            }
        }
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try (var descriptors = Files.list(process.resolve("fd"))) {
                    for (Path descriptor : descriptors.toList()) {
                        try {
                            if (inodes.contains(
                                    Files.readSymbolicLink(descriptor).toString())) {
                                return Optional.of(
                                        Long.parseLong(process.getFileName().toString()));
                            }
                        } catch (IOException e) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Resident memory in KiB, or -1. */
    public static long rssKib(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** Peak resident memory since the process started, in KiB, or -1. */
    public static long peakRssKib(long pid) {
        return statusField(pid, "VmHWM:");
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return -1;
    }

    /** User plus system CPU ticks the process has used, or -1. */
    public static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name in parentheses may hold spaces: count fields after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The name {@link #serverPids} gives this JVM, the benchmark's branches. */
    public static final String THIS_JVM = "benchmark (branches)";

    /** Context switches: the thread blocked and was woken, or the scheduler preempted it. */
    public record Switches(long voluntary, long involuntary) {

        /** What happened since {@code earlier}; a count that went down (its thread ended) counts as 0. */
        Switches since(Switches earlier) {
            return new Switches(
                    Math.max(0, voluntary - earlier.voluntary), Math.max(0, involuntary - earlier.involuntary));
        }
    }

    /**
     * Context switches of a process's threads alive now, summed: voluntary (a thread blocked, in a
     * read, a lock or a wait, and was woken later) and involuntary (the scheduler took its core
     * away); null when the process cannot be read. A thread that ended took its counts with it.
     */
    public static Switches contextSwitches(long pid) {
        long voluntary = 0;
        long involuntary = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary += Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary += Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
            return new Switches(voluntary, involuntary);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * CPU ticks of the whole machine (all cores) from the first line of {@code /proc/stat}: busy
     * (user, nice, system, irq, softirq) and stolen (a virtual machine's cores waiting while the
     * host ran something else). Idle and iowait are neither.
     */
    record MachineTicks(long busy, long steal) {

        static final MachineTicks UNKNOWN = new MachineTicks(-1, -1);

        /** Parses the {@code cpu} line: {@code cpu user nice system idle iowait irq softirq steal ...}. */
        static MachineTicks parse(String cpuLine) {
            String[] fields = cpuLine.trim().split("\\s+");
            if (fields.length < 8 || !fields[0].equals("cpu")) {
                return UNKNOWN;
            }
            long busy = 0;
            for (int i = 1; i <= 7; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return new MachineTicks(busy, fields.length > 8 ? Long.parseLong(fields[8]) : 0);
        }

        boolean known() {
            return busy >= 0;
        }
    }

    /** The machine's CPU ticks so far, or {@link MachineTicks#UNKNOWN}. */
    private static MachineTicks machineTicks() {
        try {
            return MachineTicks.parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return MachineTicks.UNKNOWN;
        }
    }

    /** The 1-minute load average, or -1. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU used between {@link #start} and {@link #stop}, per watched process and by everything else
     * on the machine (other people's builds, say), in cores (1.0 = one core busy all the time); and
     * on a virtual machine the cores its host took away meanwhile, which no process here was given.
     */
    public static final class CpuWindow {

        private final Map<String, Long> pids;
        private final Map<String, Long> startTicks = new LinkedHashMap<>();
        private final Map<String, Switches> startSwitches = new LinkedHashMap<>();
        private final Map<String, Switches> switches = new LinkedHashMap<>();
        private MachineTicks startMachine;
        private long startNanos;

        private CpuWindow(Map<String, Long> pids) {
            this.pids = pids;
        }

        public static CpuWindow start(Map<String, Long> pids) {
            CpuWindow window = new CpuWindow(new LinkedHashMap<>(pids));
            window.pids.forEach((name, pid) -> {
                window.startTicks.put(name, cpuTicks(pid));
                window.startSwitches.put(name, contextSwitches(pid));
            });
            window.startMachine = machineTicks();
            window.startNanos = System.nanoTime();
            return window;
        }

        /**
         * Cores used per process, plus {@link #OTHER} (the rest of the machine), {@link #MACHINE} (all
         * of it) and {@link #STOLEN} (cores the host of a virtual machine took away: a busy host slows
         * every figure without showing as use here).
         */
        public Map<String, Double> stop() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Double> cores = new LinkedHashMap<>();
            double ours = 0;
            for (Map.Entry<String, Long> entry : pids.entrySet()) {
                long before = startTicks.get(entry.getKey());
                long after = cpuTicks(entry.getValue());
                if (before >= 0 && after >= 0) {
                    double used = (after - before) / TICKS_PER_SECOND / seconds;
                    cores.put(entry.getKey(), round(used));
                    ours += used;
                }
                Switches switchesBefore = startSwitches.get(entry.getKey());
                Switches switchesAfter = contextSwitches(entry.getValue());
                if (switchesBefore != null && switchesAfter != null) {
                    switches.put(entry.getKey(), switchesAfter.since(switchesBefore));
                }
            }
            MachineTicks machine = machineTicks();
            if (startMachine.known() && machine.known()) {
                double all = (machine.busy() - startMachine.busy()) / TICKS_PER_SECOND / seconds;
                cores.put(OTHER, round(Math.max(0, all - ours)));
                cores.put(MACHINE, round(all));
                cores.put(STOLEN, round((machine.steal() - startMachine.steal()) / TICKS_PER_SECOND / seconds));
            }
            return cores;
        }

        /** Context switches per process over the window, once {@link #stop} has run. */
        public Map<String, Switches> switches() {
            return switches;
        }
    }

    /** Samples resident memory of some processes every 200 ms and keeps each one's peak. */
    public static final class RssSampler implements AutoCloseable {

        private final Map<String, Long> pids;
        private final Map<String, Long> peaks = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        public RssSampler(Map<String, Long> pids) {
            this.pids = new LinkedHashMap<>(pids);
            this.thread = new Thread(this::sample, "bench-rss-sampler");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void sample() {
            while (running) {
                pids.forEach((name, pid) -> {
                    long rss = rssKib(pid);
                    if (rss >= 0) {
                        peaks.merge(name, rss, Math::max);
                    }
                });
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Peak resident memory per process in MiB. */
        public Map<String, Long> peaksMib() {
            Map<String, Long> mib = new LinkedHashMap<>();
            pids.keySet().forEach(name -> {
                Long peak = peaks.get(name);
                if (peak != null) {
                    mib.put(name, peak / 1024);
                }
            });
            return mib;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
