package jp.senbetsu.appliance.config;

import jp.senbetsu.capture.SenbetsuException;

/**
 * A configuration mistake, located: the file, the line and column, and the dotted key, so an operator can go
 * straight to it ({@code senbetsu.yaml:12:5: store.roll_cycle: expected one of hourly, daily; got 'weekly'}).
 * Always exit code 2: the appliance refuses to start rather than guess.
 */
public final class ConfigException extends SenbetsuException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String location, final String key, final String problem)
    {
        super(location + ": " + (key.isEmpty() ? "" : key + ": ") + problem, EXIT_USAGE, null);
    }
}
