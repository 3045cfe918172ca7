using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace OfflineCirc.Web.Lookup;

/// <summary>
/// The one way a page shows a time (docs/adr-009): in the time zone of the library it belongs to, as
/// <c>yyyy-MM-dd HH:mm ABBR</c> with the zone's tzdb abbreviation, e.g. <c>2026-03-05 14:07 EST</c>. The capture page
/// mirrors this format in script.
/// </summary>
public static partial class TimeDisplay
{
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");

    /// <summary>The library's zone from its IANA name; UTC when the name is missing or unknown.</summary>
    public static DateTimeZone Zone(string? iana) =>
        (string.IsNullOrWhiteSpace(iana) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana)) ?? DateTimeZone.Utc;

    public static string Show(DateTimeOffset? time, DateTimeZone zone)
    {
        if (time is not { } t)
        {
            return "";
        }
        var instant = Instant.FromDateTimeOffset(t);
        return Local.Format(instant.InZone(zone).LocalDateTime) + " " + zone.GetZoneInterval(instant).Name;
    }

    public static string Show(DateTimeOffset? time, string? iana) => Show(time, Zone(iana));

    /// <summary>The zone's abbreviation now, for sentences such as "times are in EST".</summary>
    public static string Abbreviation(DateTimeZone zone) => zone.GetZoneInterval(SystemClock.Instance.GetCurrentInstant()).Name;

    public static string Show(DateOnly? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Times written into replay messages (with an offset or Z) shown in the page's format and zone.</summary>
    public static string InMessage(string? message, DateTimeZone zone) =>
        string.IsNullOrEmpty(message) ? "" : MessageTime().Replace(message, m => Parse(m) is { } t ? Show(t, zone) : m.Value);

    /// <summary>Times written into replay messages in ISO 8601 with offset, as the CSV's own time columns are.</summary>
    public static string IsoInMessage(string? message) =>
        string.IsNullOrEmpty(message) ? message ?? "" : MessageTime().Replace(message, m => Parse(m) is { } t ? Iso(t) : m.Value);

    public static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(Match m)
    {
        var offset = m.Groups["off"].Value is "Z" or "z" ? "+00:00" : m.Groups["off"].Value;
        var text = $"{m.Groups["date"].Value}T{m.Groups["time"].Value}{offset}";
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }

    [GeneratedRegex(@"(?<date>\d{4}-\d{2}-\d{2})[ T](?<time>\d{2}:\d{2}(?::\d{2})?)(?: ?(?<off>[+-]\d{2}:\d{2}|Z))")]
    private static partial Regex MessageTime();
}
