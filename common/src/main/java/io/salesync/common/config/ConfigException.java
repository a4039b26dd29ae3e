package io.salesync.common.config;

/** A configuration value that is missing or unusable; the message names the key and where it came from. */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
