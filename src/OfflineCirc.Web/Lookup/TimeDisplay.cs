using System.Globalization;

namespace OfflineCirc.Web.Lookup;

/// <summary>Times shown to people: in a library's own time zone, with the offset so nothing is ambiguous.</summary>
public static class TimeDisplay
{
    public static TimeZoneInfo Zone(string? iana)
    {
        if (!string.IsNullOrWhiteSpace(iana) && TimeZoneInfo.TryFindSystemTimeZoneById(iana, out var zone))
        {
            return zone;
        }
        return TimeZoneInfo.Utc;
    }

    public static string Show(DateTimeOffset? time, TimeZoneInfo zone) =>
        time is { } t ? TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : "";

    public static string Show(DateOnly? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
