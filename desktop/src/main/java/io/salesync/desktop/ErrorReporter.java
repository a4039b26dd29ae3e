package io.salesync.desktop;

import java.awt.Component;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that shows an error to the person at the keyboard: it logs first (with the stack
 * trace, for the log file), then shows a sentence in a dialog on the event thread. Never a trace.
 */
public final class ErrorReporter {

    private static final Logger log = LoggerFactory.getLogger(ErrorReporter.class);

    private ErrorReporter() {}

    /**
     * @param what  what was being done, for example "Could not save the sale"
     * @param error the failure; its message should already be a sentence (domain exceptions are)
     */
    public static void show(Component parent, String what, Throwable error) {
        log.error("{}: {}", what, error.getMessage(), error);
        String sentence = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        Runnable dialog = () -> JOptionPane.showMessageDialog(parent, wrap(sentence), what, JOptionPane.ERROR_MESSAGE);
        if (SwingUtilities.isEventDispatchThread()) {
            dialog.run();
        } else {
            SwingUtilities.invokeLater(dialog);
        }
    }

    /** Breaks long sentences so that a dialog stays a readable width. */
    static String wrap(String text) {
        StringBuilder out = new StringBuilder();
        int lineLength = 0;
        for (String word : text.split(" ")) {
            if (lineLength + word.length() > 80 && lineLength > 0) {
                out.append('\n');
                lineLength = 0;
            } else if (lineLength > 0) {
                out.append(' ');
                lineLength++;
            }
            out.append(word);
            lineLength += word.length();
        }
        return out.toString();
    }
}
