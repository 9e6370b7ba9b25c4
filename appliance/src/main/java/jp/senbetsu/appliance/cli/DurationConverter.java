package jp.senbetsu.appliance.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Reads a duration option as the configuration file does: a number with ms, s, m, h or d ({@code 15s},
 * {@code 30m}), a bare number of seconds, or ISO-8601 ({@code PT15S}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration>
{
    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    @Override
    public Duration convert(final String text)
    {
        final Matcher m = WITH_UNIT.matcher(text.trim());
        if (m.matches())
        {
            final long n = Long.parseLong(m.group(1));
            final String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit)
            {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try
        {
            final Duration d = Duration.parse(text.trim());
            if (d.isNegative())
            {
                throw new CommandLine.TypeConversionException("a duration must not be negative: '" + text + "'");
            }
            return d;
        }
        catch (final java.time.format.DateTimeParseException ex)
        {
            throw new CommandLine.TypeConversionException(
                "expected a duration such as 0, 15s, 30m, 2h or PT15S; got '" + text + "'");
        }
    }
}
