using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Reports;

/// <summary>What the audit log page is narrowed to; dates are inclusive UTC days.</summary>
public sealed record AuditFilter(string? Action = null, string? User = null, DateOnly? From = null, DateOnly? To = null, long? SessionId = null);

/// <summary>
/// The audit log as a person may see it: entries of org units in their subtree or of sessions in it; entries tied to
/// neither (e.g. a token revoked) only for consortium administrators. Keyset-paged newest first.
/// </summary>
public sealed class AuditQueries(CircDbContext db, UserScope scope)
{
    public async Task<IQueryable<AuditEntry>> VisibleAsync(CancellationToken ct)
    {
        if (scope.IsConsortiumAdministrator)
        {
            return db.AuditEntries.AsNoTracking();
        }
        if (await scope.SubtreePathAsync(ct) is not { } path)
        {
            return db.AuditEntries.AsNoTracking().Where(a => false);
        }
        return db.AuditEntries.AsNoTracking().Where(a =>
            (a.OrgUnitId != null && db.OrgUnits.Any(o => o.Id == a.OrgUnitId && o.Path.StartsWith(path)))
            || (a.SessionId != null && db.Sessions.Any(s => s.Id == a.SessionId && s.OrgUnit!.Path.StartsWith(path))));
    }

    /// <summary>Entries older than <paramref name="before"/> (an entry id; null for the newest), at most <paramref name="take"/>.</summary>
    public async Task<List<AuditEntry>> PageAsync(AuditFilter filter, long? before, int take, CancellationToken ct)
    {
        var query = await VisibleAsync(ct);
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(a => a.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var user = filter.User.Trim().ToLowerInvariant();
            query = query.Where(a => a.UserName.ToLower().Contains(user));
        }
        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.At >= start);
        }
        if (filter.To is { } to)
        {
            // The last day there is has no next day: "up to 9999-12-31" means no upper bound at all.
            if (to < DateOnly.MaxValue)
            {
                var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                query = query.Where(a => a.At < end);
            }
        }
        if (filter.SessionId is { } session)
        {
            query = query.Where(a => a.SessionId == session);
        }
        if (before is { } id)
        {
            query = query.Where(a => a.Id < id);
        }
        return await query.OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
    }

    public async Task<List<string>> ActionsAsync(CancellationToken ct) =>
        await (await VisibleAsync(ct)).Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
}
