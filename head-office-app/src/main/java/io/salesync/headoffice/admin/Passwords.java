package io.salesync.headoffice.admin;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Passwords for a new branch's users: {@value #LENGTH} characters drawn by {@link SecureRandom} from
 * letters and digits (about 190 bits). Letters and digits only, so that a password needs no escaping
 * in a properties file, an SQL literal or JSON.
 */
public final class Passwords {

    public static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    public static final int LENGTH = 32;

    /**
     * What may go into an SQL string literal of {@code CREATE USER ... IDENTIFIED BY '...'} (MariaDB
     * cannot bind it): no quote, backslash, space or control character, whatever the SQL mode.
     */
    private static final Pattern LITERAL_SAFE = Pattern.compile("[A-Za-z0-9._~+=@#%^:,/!*-]{1,128}");

    private final SecureRandom random;

    public Passwords() {
        this(new SecureRandom());
    }

    Passwords(SecureRandom random) {
        this.random = random;
    }

    public String next() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(chars);
    }

    /** Whether a password may be written into an SQL literal as it is. */
    public static boolean literalSafe(String password) {
        return password != null && LITERAL_SAFE.matcher(password).matches();
    }
}
