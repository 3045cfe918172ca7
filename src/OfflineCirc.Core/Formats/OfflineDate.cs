using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.TimeZones;

namespace OfflineCirc.Core.Formats;

/// <summary>
/// A date as written in an offline file, before its time zone is known. Accepted forms: Unix epoch seconds
/// (number or digits), ISO 8601 with or without offset, <c>YYYY-MM-DD</c>, <c>YYYY-MM-DD HH:MM[:SS]</c>,
/// unpadded <c>2026-3-5 9:4:7</c>, and Koha's <c>YYYY-MM-DD HH:MM:SS mmm</c> / <c>HH-MM-SS mmm</c>.
/// </summary>
public readonly partial record struct OfflineDate
{
    /// <summary>
    /// Local times that fall in a daylight-saving gap move forward by the gap; ambiguous ones (the repeated
    /// hour in autumn) take the earlier occurrence. Offline dates are never refused for this.
    /// </summary>
    public static readonly ZoneLocalMappingResolver Resolver = Resolvers.LenientResolver;

    // Dates outside 1900-2999 are typing mistakes, and keeping them out keeps every sum of dates and deltas in range.
    private const int MinYear = 1900;
    private const int MaxYear = 2999;
    private static readonly Instant MinInstant = Instant.FromUtc(MinYear, 1, 1, 0, 0);
    private static readonly Instant MaxInstant = Instant.FromUtc(MaxYear, 12, 31, 23, 59, 59);

    private OfflineDate(LocalDateTime local, Offset? offset, bool hasTime, Instant? epoch)
    {
        Local = local;
        Offset = offset;
        HasTime = hasTime;
        Epoch = epoch;
    }

    /// <summary>The date and time as written (for an epoch value, its UTC reading).</summary>
    public LocalDateTime Local { get; }

    /// <summary>The offset written with the date, if any.</summary>
    public Offset? Offset { get; }

    /// <summary>False for a bare date such as <c>2026-03-05</c>.</summary>
    public bool HasTime { get; }

    /// <summary>Set when the value was epoch seconds.</summary>
    public Instant? Epoch { get; }

    /// <summary>True when the value is local time that needs the recording org's zone.</summary>
    public bool IsLocal => Epoch is null && Offset is null;

    public Instant ToInstant(DateTimeZone zone) =>
        Epoch ?? (Offset is { } offset
            ? Local.WithOffset(offset).ToInstant()
            : Local.InZone(zone, Resolver).ToInstant());

    /// <summary>The calendar date in <paramref name="zone"/>: as written for local values, converted otherwise.</summary>
    public LocalDate ToLocalDate(DateTimeZone zone) =>
        IsLocal ? Local.Date : ToInstant(zone).InZone(zone).Date;

    /// <summary>23:59:59 local on <paramref name="date"/>: the moment a day-granular due date ends.</summary>
    public static Instant EndOfDay(LocalDate date, DateTimeZone zone) =>
        date.At(new LocalTime(23, 59, 59)).InZone(zone, Resolver).ToInstant();

    public static bool TryParse(string? text, out OfflineDate date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (text.Length > 64)
        {
            return false;
        }
        return TryParseIsoUtc(text, out date) || TryParseEpoch(text, out date) || TryParseCalendar(text, out date);
    }

    /// <summary>The form most lines carry, 2026-03-05T14:00:01Z, read without the general pattern.</summary>
    private static bool TryParseIsoUtc(string text, out OfflineDate date)
    {
        date = default;
        if (text.Length != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z'
            || !TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day)
            || !TryDigits(text, 11, 2, out var hour) || !TryDigits(text, 14, 2, out var minute) || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }
        if (year is < MinYear or > MaxYear || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        date = new OfflineDate(new LocalDateTime(year, month, day, hour, minute, second), NodaTime.Offset.Zero, true, null);
        return true;
    }

    private static bool TryDigits(string text, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }
            value = value * 10 + digit;
        }
        return true;
    }

    private static bool TryParseEpoch(string text, out OfflineDate date)
    {
        date = default;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole)
            && whole >= MinInstant.ToUnixTimeSeconds() && whole <= MaxInstant.ToUnixTimeSeconds())
        {
            var at = Instant.FromUnixTimeSeconds(whole);
            date = new OfflineDate(at.InUtc().LocalDateTime, NodaTime.Offset.Zero, true, at);
            return true;
        }
        const NumberStyles styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out var seconds)
            || seconds < MinInstant.ToUnixTimeSeconds() || seconds > MaxInstant.ToUnixTimeSeconds())
        {
            return false;
        }
        var wholeSeconds = decimal.Truncate(seconds);
        var nanos = (long)decimal.Round((seconds - wholeSeconds) * 1_000_000_000m);
        var instant = Instant.FromUnixTimeSeconds((long)wholeSeconds).PlusNanoseconds(nanos);
        date = new OfflineDate(instant.InUtc().LocalDateTime, NodaTime.Offset.Zero, true, instant);
        return true;
    }

    private static bool TryParseCalendar(string text, out OfflineDate date)
    {
        date = default;
        var m = CalendarPattern().Match(text);
        if (!m.Success)
        {
            return false;
        }
        var year = Number(m, "y");
        var month = Number(m, "mo");
        var day = Number(m, "d");
        if (year is < MinYear or > MaxYear || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return false;
        }
        var hasTime = m.Groups["h"].Success;
        var hour = hasTime ? Number(m, "h") : 0;
        var minute = hasTime ? Number(m, "mi") : 0;
        var second = m.Groups["s"].Success ? Number(m, "s") : 0;
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var local = new LocalDateTime(year, month, day, hour, minute, second)
            .PlusNanoseconds(FractionNanos(m));
        Offset? offset = null;
        if (m.Groups["z"].Success)
        {
            if (!TryOffset(m.Groups["z"].Value, out var parsed))
            {
                return false;
            }
            offset = parsed;
        }
        date = new OfflineDate(local, offset, hasTime, null);
        return true;
    }

    private static int Number(Match m, string group) =>
        int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static long FractionNanos(Match m)
    {
        if (m.Groups["f"].Success)
        {
            var digits = m.Groups["f"].Value.PadRight(9, '0');
            return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        // Koha writes milliseconds after a space.
        return m.Groups["ms"].Success ? Number(m, "ms") * 1_000_000L : 0;
    }

    private static bool TryOffset(string text, out Offset offset)
    {
        offset = NodaTime.Offset.Zero;
        if (text is "Z" or "z")
        {
            return true;
        }
        var sign = text[0] == '-' ? -1 : 1;
        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
        if (hours > 18 || minutes > 59)
        {
            return false;
        }
        offset = NodaTime.Offset.FromSeconds(sign * ((hours * 3600) + (minutes * 60)));
        return true;
    }

    [GeneratedRegex(
        @"^(?<y>\d{4})-(?<mo>\d{1,2})-(?<d>\d{1,2})" +
        @"(?:[T ](?<h>\d{1,2})(?<sep>[:\-])(?<mi>\d{1,2})(?:\k<sep>(?<s>\d{1,2})(?:[.,](?<f>\d{1,9})| (?<ms>\d{1,3}))?)?)?" +
        @"\s?(?<z>[Zz]|[+\-]\d{2}(?::?\d{2})?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex CalendarPattern();
}
