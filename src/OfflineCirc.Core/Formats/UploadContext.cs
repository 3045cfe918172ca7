using NodaTime;

namespace OfflineCirc.Core.Formats;

/// <summary>Finds the time zone in which a transaction's local-time dates were written.</summary>
public interface ITimeZoneResolver
{
    /// <summary>The zone of the org unit with this short name, or null when unknown.</summary>
    DateTimeZone? ForOrg(string orgShortName);

    /// <summary>The zone of the org unit owning this workstation, or null when unknown.</summary>
    DateTimeZone? ForWorkstation(string workstationName);
}

/// <summary>What the reader knows about one upload besides the file's content.</summary>
/// <param name="Workstation">The workstation named for the upload; used by lines that name none.</param>
/// <param name="DeltaSeconds">Clock correction for the whole upload, added to every line's timestamp.</param>
/// <param name="TimeZones">Zone lookup; when null, or when it knows neither org nor workstation, UTC is used.</param>
public sealed record UploadContext(string Workstation, int DeltaSeconds = 0, ITimeZoneResolver? TimeZones = null)
{
    /// <summary>The zone of the line's org when known, else of its workstation, else UTC.</summary>
    public DateTimeZone ZoneFor(string? org, string workstation)
    {
        if (TimeZones is null)
        {
            return DateTimeZone.Utc;
        }
        var zone = org is null ? null : TimeZones.ForOrg(org);
        return zone ?? TimeZones.ForWorkstation(workstation) ?? DateTimeZone.Utc;
    }
}

/// <summary>An <see cref="ITimeZoneResolver"/> over reference data loaded up front (names compared case-insensitively).</summary>
public sealed class TimeZoneMap : ITimeZoneResolver
{
    private readonly Dictionary<string, DateTimeZone> _orgZones = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _workstationOrgs = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="orgTimeZones">Org short name to IANA time zone id; unknown ids are ignored (UTC then applies).</param>
    /// <param name="workstationOrgs">Workstation name to the short name of its owning org.</param>
    public TimeZoneMap(
        IEnumerable<KeyValuePair<string, string>> orgTimeZones,
        IEnumerable<KeyValuePair<string, string>>? workstationOrgs = null)
    {
        foreach (var (org, zoneId) in orgTimeZones)
        {
            if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) is { } zone)
            {
                _orgZones[org] = zone;
            }
        }
        foreach (var (workstation, org) in workstationOrgs ?? [])
        {
            _workstationOrgs[workstation] = org;
        }
    }

    public DateTimeZone? ForOrg(string orgShortName) =>
        _orgZones.GetValueOrDefault(orgShortName);

    public DateTimeZone? ForWorkstation(string workstationName) =>
        _workstationOrgs.TryGetValue(workstationName, out var org) ? ForOrg(org) : null;
}
