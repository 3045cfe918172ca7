using Microsoft.EntityFrameworkCore;
using NodaTime;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Web.Lookup;

/// <summary>Each library's time zone, read once per request (org units are few), so a page can show every time in its own library's zone.</summary>
public sealed class LibraryZones(CircDbContext db)
{
    private Dictionary<string, DateTimeZone>? _byShortName;
    private Dictionary<int, DateTimeZone>? _byId;

    public async Task LoadAsync(CancellationToken ct)
    {
        if (_byId is not null)
        {
            return;
        }
        var orgs = await db.OrgUnits.AsNoTracking().Select(o => new { o.Id, o.ShortName, o.TimeZone }).ToListAsync(ct);
        _byId = orgs.ToDictionary(o => o.Id, o => TimeDisplay.Zone(o.TimeZone));
        _byShortName = orgs.ToDictionary(o => o.ShortName, o => _byId[o.Id], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The zone of a library by short name, else <paramref name="fallback"/>.</summary>
    public DateTimeZone Of(string? shortName, DateTimeZone fallback) =>
        shortName is not null && _byShortName?.GetValueOrDefault(shortName) is { } zone ? zone : fallback;

    public DateTimeZone Of(int? id, DateTimeZone fallback) =>
        id is { } i && _byId?.GetValueOrDefault(i) is { } zone ? zone : fallback;
}
