package io.salesync.desktop;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Broker problems as a person reads them. The consumer and the relay report what the RabbitMQ
 * client says, which may be its raw protocol text ({@code #method<connection.close>(reply-code=320,
 * reply-text=CONNECTION_FORCED - broker forced connection closure with reason 'shutdown', ...)});
 * a window shows a sentence instead ("Lost the connection to RabbitMQ at 127.0.0.1:5672: the
 * broker was shut down or restarted"). The raw text stays in the log, where the connector writes it.
 */
public final class BrokerWords {

    private static final Pattern RAW = Pattern.compile("#method<[^>]*>\\((.*?)\\)", Pattern.DOTALL);
    private static final Pattern REPLY_CODE = Pattern.compile("reply-code=(\\d+)");
    private static final Pattern REPLY_TEXT = Pattern.compile("reply-text=([A-Z_]+)(?: - ([^,]*))?");

    private BrokerWords() {}

    /** True when the text carries the client's raw protocol words. */
    public static boolean isRaw(String detail) {
        return detail != null
                && (detail.contains("#method<")
                        || detail.contains("reply-code=")
                        || detail.contains("ShutdownSignalException")
                        || detail.startsWith("connection lost:"));
    }

    /**
     * Why the broker closed a connection or channel, in words, from its reply code and text; null
     * when the text says nothing the reader could use (no reply code: a network failure, say).
     */
    public static String reason(String detail) {
        if (detail == null) {
            return null;
        }
        Matcher code = REPLY_CODE.matcher(detail);
        Matcher text = REPLY_TEXT.matcher(detail);
        String name = text.find() ? text.group(1) : null;
        int number = code.find() ? Integer.parseInt(code.group(1)) : -1;
        if (number == 320 || "CONNECTION_FORCED".equals(name)) {
            return "the broker was shut down or restarted, or an operator closed the connection";
        }
        if (number == 403 || "ACCESS_REFUSED".equals(name)) {
            return "the broker refused this program's user an operation it needs";
        }
        if (number == 404 || "NOT_FOUND".equals(name)) {
            return "a queue or exchange this program needs does not exist on the broker";
        }
        if (number == 406 || "PRECONDITION_FAILED".equals(name)) {
            return "the broker's queues are set up differently from what this program expects";
        }
        if (number == 530 || "NOT_ALLOWED".equals(name)) {
            return "the broker does not let this program's user use its virtual host";
        }
        if (number == 501 || number == 502 || number == 503 || number == 504 || number == 505 || number == 506) {
            return "the broker and this program did not understand each other (a protocol error)";
        }
        if (number == 541 || "INTERNAL_ERROR".equals(name)) {
            return "the broker had an internal error";
        }
        String lower = detail.toLowerCase(Locale.ROOT);
        if (lower.contains("connection refused")) {
            return "nothing answers at that address";
        }
        if (lower.contains("connection reset")
                || lower.contains("broken pipe")
                || lower.contains("end of stream")
                || lower.contains("eofexception")
                || lower.contains("socket closed")) {
            return "the network connection was cut";
        }
        if (lower.contains("heartbeat") || lower.contains("timed out") || lower.contains("timeout")) {
            return "the broker stopped answering";
        }
        if (lower.contains("unknownhost")
                || lower.contains("unknown host")
                || lower.contains("name or service not known")) {
            return "the broker's host name is not known";
        }
        return null;
    }

    /**
     * A sentence for a status line or a banner: what happened to the broker connection, since when,
     * and why when that can be said in words. A detail that is already a sentence of ours (it names
     * RabbitMQ and says what to check) keeps its first part, with any raw text taken out.
     *
     * @param detail  what the consumer or relay reported; may be raw client text, or null
     * @param address the broker's host:port
     * @param since   "19:06", when the connection was lost or the attempts began; may be null
     */
    public static String sentence(String detail, String address, String since) {
        String retrying = since == null ? "retrying." : "retrying since " + since + ".";
        if (detail == null || detail.isBlank() || detail.equals("starting")) {
            return "Connecting to RabbitMQ at " + address + "; " + retrying;
        }
        String why = reason(detail);
        if (!detail.startsWith("RabbitMQ ") && (isRaw(detail) || detail.startsWith("Cannot reach "))) {
            String what = detail.startsWith("Cannot reach ")
                    ? "Cannot reach RabbitMQ at " + address
                    : "Lost the connection to RabbitMQ at " + address;
            return what + (why == null ? "" : " (" + why + ")") + "; " + retrying;
        }
        String cleaned = RAW.matcher(detail)
                .replaceAll(why == null ? "(see the log)" : why)
                .strip();
        return cleaned + (cleaned.endsWith(".") ? " " : ". ") + capitalised(retrying);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
