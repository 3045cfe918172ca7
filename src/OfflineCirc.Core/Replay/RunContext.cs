using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay.Calendar;
using OfflineCirc.Core.Replay.Policies;

namespace OfflineCirc.Core.Replay;

/// <summary>Reference data one run reads again and again: loaded once per run, never written by it.</summary>
internal sealed class RunContext
{
    private readonly Dictionary<int, OrgUnit> _orgs;
    private readonly Dictionary<string, OrgUnit> _orgsByShortName;
    private readonly Dictionary<int, IReadOnlyList<int>> _ancestry = [];
    private readonly Dictionary<int, OrgCalendar> _calendars = [];
    private readonly Dictionary<int, List<(LocalDate, LocalDate)>> _closingsByOrg;
    private readonly Dictionary<string, Workstation> _workstations;
    private readonly List<NoncatType> _noncatTypes;

    private RunContext(
        long sessionId, int sessionOrgId, int run, string processedBy, DateTimeOffset startedAt,
        List<OrgUnit> orgs, List<OrgClosing> closings, List<CirculationPolicy> policies,
        List<PatronProfile> profiles, List<NoncatType> noncatTypes, List<Workstation> workstations)
    {
        SessionId = sessionId;
        SessionOrgId = sessionOrgId;
        Run = run;
        ProcessedBy = processedBy;
        StartedAt = startedAt;
        _orgs = orgs.ToDictionary(o => o.Id);
        _orgsByShortName = orgs.ToDictionary(o => o.ShortName, StringComparer.OrdinalIgnoreCase);
        _closingsByOrg = closings.GroupBy(c => c.OrgUnitId).ToDictionary(
            g => g.Key,
            g => g.Select(c => (LocalDate.FromDateOnly(c.StartDate), LocalDate.FromDateOnly(c.EndDate))).ToList());
        Policies = new PolicyMatcher(policies, Ancestry);
        PoliciesById = policies.ToDictionary(p => p.Id);
        Profiles = profiles.ToDictionary(p => p.Id);
        ProfilesByName = profiles.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _noncatTypes = noncatTypes;
        _workstations = workstations.ToDictionary(w => w.Name, StringComparer.OrdinalIgnoreCase);
    }

    public long SessionId { get; }
    public int SessionOrgId { get; }
    public int Run { get; }
    public string ProcessedBy { get; }
    /// <summary>Processing time that due dates are compared with (DUE_DATE_IN_PAST).</summary>
    public DateTimeOffset StartedAt { get; }
    public PolicyMatcher Policies { get; }
    public Dictionary<int, CirculationPolicy> PoliciesById { get; }
    public Dictionary<int, PatronProfile> Profiles { get; }
    public Dictionary<string, PatronProfile> ProfilesByName { get; }
    /// <summary>Items of the run skipped for newer activity: their later transactions are skipped too (6.6).</summary>
    public HashSet<long> SkippedItems { get; } = [];

    public static async Task<RunContext> LoadAsync(
        CircDbContext db, long sessionId, int run, string processedBy, DateTimeOffset startedAt, CancellationToken ct)
    {
        var sessionOrgId = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.OrgUnitId).SingleAsync(ct);
        var orgs = await db.OrgUnits.AsNoTracking().ToListAsync(ct);
        var closings = await db.OrgClosings.AsNoTracking().ToListAsync(ct);
        var policies = await db.Policies.AsNoTracking().ToListAsync(ct);
        var profiles = await db.PatronProfiles.AsNoTracking().ToListAsync(ct);
        var noncat = await db.NoncatTypes.AsNoTracking().ToListAsync(ct);
        // Every registered workstation: a consortium has a few thousand at most, while picking the session's own from
        // its lines read every line once more before the first batch (1.5 s at a million, docs/adr-018, finding 48).
        var workstations = await db.Workstations.AsNoTracking().ToListAsync(ct);
        var context = new RunContext(sessionId, sessionOrgId, run, processedBy, startedAt,
            orgs, closings, policies, profiles, noncat, workstations);
        var skipped = await db.Results
            .Where(r => r.SessionId == sessionId && r.Run == run && r.ItemId != null && r.Codes.Contains(ResultCodes.SkipAssetChanged))
            .Select(r => r.ItemId!.Value).Distinct().ToListAsync(ct);
        context.SkippedItems.UnionWith(skipped);
        return context;
    }

    public OrgUnit? Org(int id) => _orgs.GetValueOrDefault(id);

    public OrgUnit? OrgByShortName(string? shortName) =>
        shortName is null ? null : _orgsByShortName.GetValueOrDefault(shortName.Trim());

    /// <summary>The org itself first, then each parent up to the root.</summary>
    public IReadOnlyList<int> Ancestry(int orgId)
    {
        if (_ancestry.TryGetValue(orgId, out var cached))
        {
            return cached;
        }
        var list = new List<int>();
        for (var o = _orgs.GetValueOrDefault(orgId); o is not null && !list.Contains(o.Id); o = o.ParentId is { } p ? _orgs.GetValueOrDefault(p) : null)
        {
            list.Add(o.Id);
        }
        _ancestry[orgId] = list;
        return list;
    }

    /// <summary>Calendar of an org: its zone and closed weekdays, its closings and those of its ancestors.</summary>
    public OrgCalendar Calendar(int orgId)
    {
        if (_calendars.TryGetValue(orgId, out var cached))
        {
            return cached;
        }
        var org = _orgs.GetValueOrDefault(orgId);
        var closings = Ancestry(orgId).SelectMany(a => _closingsByOrg.GetValueOrDefault(a) ?? []);
        var calendar = OrgCalendar.For(org?.TimeZone ?? "UTC", org?.ClosedWeekdays ?? 0, closings);
        _calendars[orgId] = calendar;
        return calendar;
    }

    /// <summary>Where a transaction was recorded: its workstation when registered, else its org short name, else the session's org.</summary>
    public (int OrgId, int? WorkstationId) Place(TxRow tx)
    {
        if (_workstations.TryGetValue(tx.Workstation, out var ws))
        {
            return (ws.OrgUnitId, ws.Id);
        }
        return (OrgByShortName(tx.Org)?.Id ?? SessionOrgId, null);
    }

    /// <summary>A non-catalogued type by id, or by name among those owned by the org or its ancestors (nearest first).</summary>
    public NoncatType? NoncatType(string? nameOrId, int orgId)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            return null;
        }
        var key = nameOrId.Trim();
        if (int.TryParse(key, out var id) && _noncatTypes.FirstOrDefault(t => t.Id == id) is { } byId)
        {
            return byId;
        }
        foreach (var org in Ancestry(orgId))
        {
            var match = _noncatTypes.FirstOrDefault(t => t.OwningOrgId == org && string.Equals(t.Name, key, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }
        return null;
    }

    /// <summary>A time as staff of the org read it, e.g. "2026-03-20 23:59:59 -04:00".</summary>
    public string LocalText(int orgId, DateTimeOffset? time) =>
        time is { } t ? TimePattern.Format(Instant.FromDateTimeOffset(t).InZone(Calendar(orgId).Zone)) : "";

    private static readonly ZonedDateTimePattern TimePattern =
        ZonedDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss o<m>", null);

    /// <summary>The policy that rules a loan; null means none matched and the built-in default applies.</summary>
    public CirculationPolicy? PolicyFor(int circOrgId, int? profileId, string? circModifier) =>
        Policies.Match(circOrgId, profileId, circModifier);
}
