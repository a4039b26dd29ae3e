package io.salesync.branch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The branch office's arguments: {@code run|import [--id ID] [--config FILE] [--headless]
 * [--wait SECONDS] [FILE]}.
 */
public record CommandLine(String command, String branchId, Path config, boolean headless, int waitSeconds,
                          List<String> files) {

    public static final String USAGE = """
            usage: branch-office run [--id ID] [--config FILE] [--headless]
                   branch-office import [--id ID] [--config FILE] [--wait SECONDS] FILE.csv
            (the id comes from --id or from salesync.branch.id in the configuration)
            """;

    /** Parses; throws IllegalArgumentException with a one-line reason on a bad argument. */
    public static CommandLine parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command given");
        }
        String command = args[0];
        if (!command.equals("run") && !command.equals("import")) {
            throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        String id = null;
        Path config = null;
        boolean headless = false;
        int wait = 60;
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--id" -> id = value(args, ++i, "--id");
                case "--config" -> config = Path.of(value(args, ++i, "--config"));
                case "--headless" -> headless = true;
                case "--wait" -> {
                    try {
                        wait = Integer.parseInt(value(args, ++i, "--wait"));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--wait takes a number of seconds");
                    }
                }
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    files.add(args[i]);
                }
            }
        }
        if (command.equals("import") && files.size() != 1) {
            throw new IllegalArgumentException("import takes exactly one CSV file");
        }
        if (command.equals("run") && !files.isEmpty()) {
            throw new IllegalArgumentException("unexpected argument " + files.get(0));
        }
        return new CommandLine(command, id, config, headless, wait, List.copyOf(files));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
