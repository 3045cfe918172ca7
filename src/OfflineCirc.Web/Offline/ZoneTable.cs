using NodaTime;

namespace OfflineCirc.Web.Offline;

/// <summary>One stretch of a time zone with a fixed offset and abbreviation, in epoch seconds (null = unbounded).</summary>
public sealed record ZoneSpan(long? Start, long? End, int Offset, string Abbreviation);

/// <summary>
/// A zone's offsets and tzdb abbreviations around now, for the capture page to show times offline exactly as the portal
/// does (the browser's own zone data has no tzdb abbreviations and may be older than the server's).
/// </summary>
public static class ZoneTable
{
    public static readonly Duration Back = Duration.FromDays(366);
    public static readonly Duration Ahead = Duration.FromDays(2 * 366);

    public static IReadOnlyList<ZoneSpan> Around(string timeZoneId, Instant now)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) ?? DateTimeZone.Utc;
        return zone.GetZoneIntervals(now - Back, now + Ahead)
            .Select(i => new ZoneSpan(
                i.HasStart ? i.Start.ToUnixTimeSeconds() : null,
                i.HasEnd ? i.End.ToUnixTimeSeconds() : null,
                i.WallOffset.Seconds,
                i.Name))
            .ToList();
    }

    /// <summary>Every distinct zone of the given ids, keyed by id.</summary>
    public static Dictionary<string, IReadOnlyList<ZoneSpan>> For(IEnumerable<string> timeZoneIds, Instant now) =>
        timeZoneIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => Around(id, now), StringComparer.Ordinal);
}
