using System.Globalization;
using NodaTime;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Import;

/// <summary>How CSV cells are read: booleans, numbers, dates, times, durations, weekdays, statuses.</summary>
public static class Values
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d"];
    private static readonly string[] LocalTimeFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];
    private static readonly string[] WeekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private static readonly HashSet<string> StatusNames = Enum.GetValues<ItemStatus>().Select(s => SnakeCaseEnum.ToSnake(s)).ToHashSet();

    public static readonly string ItemStatuses = string.Join(", ", Enum.GetValues<ItemStatus>().Select(s => SnakeCaseEnum.ToSnake(s)));

    public static bool? Bool(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => throw new FormatException(text),
    };

    public static bool IsBool(string? text) => text is null || text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static bool IsInt(string? text, int min = 0) =>
        text is null || (int.TryParse(text, NumberStyles.AllowLeadingSign, Inv, out var v) && v >= min);

    public static int? Int(string? text) => text is null ? null : int.Parse(text, NumberStyles.AllowLeadingSign, Inv);

    public static bool IsLong(string? text) => text is null || (long.TryParse(text, NumberStyles.None, Inv, out var v) && v > 0);

    public static long? Long(string? text) => text is null ? null : long.Parse(text, NumberStyles.None, Inv);

    public static bool IsMoney(string? text, bool positive = false) =>
        text is null || (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, Inv, out var v) && (positive ? v > 0 : v >= 0) && v < 10_000_000_000m && decimal.Round(v, 2) == v);

    public static decimal? Money(string? text) => text is null ? null : decimal.Parse(text, NumberStyles.AllowDecimalPoint, Inv);

    public static bool IsDate(string? text) => text is null || DateOnly.TryParseExact(text, DateFormats, Inv, DateTimeStyles.None, out _);

    public static DateOnly? Date(string? text) => text is null ? null : DateOnly.ParseExact(text, DateFormats, Inv, DateTimeStyles.None);

    /// <summary>An ISO 8601 time: with an offset it is absolute; without one it is local time of the row's org unit.</summary>
    public static bool IsTime(string? text) => text is null || TryTime(text, out _, out _);

    public static bool TryTime(string text, out DateTimeOffset? absolute, out DateTime? local)
    {
        absolute = null;
        local = null;
        if (HasOffset(text))
        {
            if (DateTimeOffset.TryParse(text, Inv, DateTimeStyles.None, out var a))
            {
                absolute = a;
                return true;
            }
            return false;
        }
        if (DateTime.TryParseExact(text, LocalTimeFormats, Inv, DateTimeStyles.None, out var l))
        {
            local = DateTime.SpecifyKind(l, DateTimeKind.Unspecified);
            return true;
        }
        return false;
    }

    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }
        var t = text.IndexOfAny(['T', 't', ' ']);
        return t > 0 && text.AsSpan(t).IndexOfAny('+', '-') > 0;
    }

    public static bool IsTimeZone(string? text) => text is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(text) is not null;

    /// <summary>"14 days", "1 day", "4 hours", "2 weeks" as a count and a unit.</summary>
    public static bool TryDuration(string? text, out int count, out DurationUnit unit)
    {
        count = 0;
        unit = DurationUnit.Days;
        if (text is null)
        {
            return false;
        }
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, Inv, out count) || count > 100_000)
        {
            return false;
        }
        switch (parts[1].ToLowerInvariant())
        {
            case "day" or "days":
                return true;
            case "week" or "weeks":
                count *= 7;
                return true;
            case "hour" or "hours":
                unit = DurationUnit.Hours;
                return true;
            default:
                return false;
        }
    }

    public static bool IsDuration(string? text, bool positive = true) =>
        text is null || (TryDuration(text, out var n, out _) && (!positive || n > 0));

    public static string Unit(DurationUnit unit) => SnakeCaseEnum.ToSnake(unit);

    /// <summary>"Sat;Sun" as a bitmask: bit 0 = Monday ... bit 6 = Sunday.</summary>
    public static bool TryWeekdays(string? text, out int mask)
    {
        mask = 0;
        if (text is null)
        {
            return true;
        }
        foreach (var part in text.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var key = part.Length >= 3 ? part[..3].ToLowerInvariant() : part.ToLowerInvariant();
            var day = Array.IndexOf(WeekdayNames, key);
            if (day < 0)
            {
                return false;
            }
            mask |= 1 << day;
        }
        return true;
    }

    public static bool IsItemStatus(string? text) => text is null || TryItemStatus(text, out _);

    /// <summary>Only the snake-case names, exactly as documented ("checked_out", not "checked out").</summary>
    public static bool TryItemStatus(string text, out string status)
    {
        status = text.ToLowerInvariant();
        return StatusNames.Contains(status);
    }

    public static string Quote(string? text)
    {
        if (text is null)
        {
            return "(empty)";
        }
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return $"'{(oneLine.Length > 60 ? oneLine[..60] + "..." : oneLine)}'";
    }
}
