using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Audit;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Sessions;

public sealed record SessionRow(
    long Id, string Org, string OrgName, string Description, string State, int Files, long Transactions,
    string CreatedBy, DateTimeOffset CreatedAt, int RunCount, int ProgressDone, int ProgressTotal);

public sealed record FileRow(
    long Id, string Workstation, string FileName, string UploadedBy, DateTimeOffset UploadedAt, string Format, string? Warning,
    int LinesRead, int Stored, int Duplicates, int Rejected);

/// <summary>
/// A session's figures as <c>GET /api/sessions/{id}</c> answers them, files apart: the session row and its running counts
/// (docs/adr-016), read in one statement so progress and counts come from the same moment.
/// </summary>
public sealed record SessionStatus(
    long Id, string Org, string Description, string State, string CreatedBy, DateTimeOffset CreatedAt, int RunCount,
    int ProgressDone, int ProgressTotal, long Transactions, long Files, IReadOnlyDictionary<string, long> Results)
{
    /// <summary>
    /// A strong entity tag of every figure here. Files are only ever added, each with the count of files, so the tag
    /// changes whenever the whole answer would.
    /// </summary>
    public string EntityTag() => EntityTags.Of(JsonSerializer.SerializeToUtf8Bytes(this));
}

/// <summary>Sessions as the people who may see them see them: every query is scoped to the user's org subtree.</summary>
public class SessionService(CircDbContext db, UserScope scope, AuditLog audit, FileIntake intake)
{
    public async Task<IQueryable<OfflineSession>> VisibleAsync(CancellationToken ct = default)
    {
        var sessions = db.Sessions.AsNoTracking();
        // Someone without a home library sees nothing (and no sentinel text ever goes to PostgreSQL).
        return await scope.SubtreePathAsync(ct) is { } path
            ? sessions.Where(s => s.OrgUnit!.Path.StartsWith(path))
            : sessions.Where(s => false);
    }

    /// <summary>Sessions of the caller's subtree, narrowed to one library's subtree; a library outside their reach is not found.</summary>
    public async Task<List<SessionRow>> ListAsync(string? orgShortName, CancellationToken ct = default)
    {
        var query = await VisibleAsync(ct);
        if (!string.IsNullOrWhiteSpace(orgShortName))
        {
            var org = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.ShortName == orgShortName.Trim(), ct);
            if (org is null || !await scope.ReachesAsync(org.Id, ct))
            {
                throw Refusals.OrgNotFound(orgShortName).Exception();
            }
            query = query.Where(s => s.OrgUnit!.Path.StartsWith(org.Path));
        }
        return await query.OrderByDescending(s => s.CreatedAt).Take(500).Select(s => new SessionRow(
            s.Id, s.OrgUnit!.ShortName, s.OrgUnit.Name, s.Description, s.State.ToString(), s.Files.Count,
            db.Transactions.LongCount(t => t.SessionId == s.Id), s.CreatedBy, s.CreatedAt, s.RunCount, s.ProgressDone, s.ProgressTotal))
            .ToListAsync(ct);
    }

    public async Task<OfflineSession?> FindAsync(long id, CancellationToken ct = default) =>
        await (await VisibleAsync(ct)).Include(s => s.OrgUnit).SingleOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>The session's figures without counting anything; null when it is not in the caller's subtree.</summary>
    public async Task<SessionStatus?> StatusAsync(long id, CancellationToken ct = default)
    {
        var row = await (await VisibleAsync(ct)).Where(s => s.Id == id).Select(s => new
        {
            s.Id,
            Org = s.OrgUnit!.ShortName,
            s.Description,
            s.State,
            s.CreatedBy,
            s.CreatedAt,
            s.RunCount,
            s.ProgressDone,
            s.ProgressTotal,
            Counts = db.SessionCounts.Where(c => c.SessionId == s.Id).Select(c => new { c.Name, c.Count }).ToList(),
        }).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var counts = row.Counts.ToDictionary(c => c.Name, c => c.Count);
        // Only the statuses the session has, as when they were counted per request; in a fixed order, so the tag is stable.
        var results = Enum.GetValues<ResultStatus>().Where(x => counts.GetValueOrDefault(SessionCounts.Of(x)) > 0)
            .ToDictionary(x => x.ToString(), x => counts[SessionCounts.Of(x)]);
        return new SessionStatus(row.Id, row.Org, row.Description, row.State.ToString(), row.CreatedBy, row.CreatedAt, row.RunCount,
            row.ProgressDone, row.ProgressTotal, counts.GetValueOrDefault(SessionCounts.Transactions),
            counts.GetValueOrDefault(SessionCounts.Files), results);
    }

    public Task<List<FileRow>> FilesAsync(long sessionId, CancellationToken ct = default) =>
        db.UploadedFiles.AsNoTracking().Where(f => f.SessionId == sessionId).OrderBy(f => f.Id)
            .Select(f => new FileRow(f.Id, f.Workstation, f.FileName, f.UploadedBy, f.UploadedAt, f.Format, f.Warning,
                f.LinesRead, f.Stored, f.Duplicates, f.Rejected))
            .ToListAsync(ct);

    public Task<List<RejectedLine>> RejectedAsync(long sessionId, int limit, CancellationToken ct = default) =>
        db.RejectedLines.AsNoTracking().Where(r => r.SessionId == sessionId).OrderBy(r => r.FileId).ThenBy(r => r.LineNumber)
            .Take(limit).ToListAsync(ct);

    /// <summary>Opens a session; the session and its audit entry commit together.</summary>
    public async Task<OfflineSession> CreateAsync(CreateSession command, CancellationToken ct = default)
    {
        if (command.Check() is { } invalid)
        {
            throw invalid.Exception();
        }
        // A library outside the caller's reach reads like one that does not exist (the library boundary).
        var org = await db.OrgUnits.SingleOrDefaultAsync(o => o.ShortName == command.Org!.Trim(), ct);
        if (org is null || !await scope.ReachesAsync(org.Id, ct))
        {
            throw Refusals.OrgNotFound(command.Org!).Exception();
        }
        var session = new OfflineSession
        {
            OrgUnitId = org.Id,
            OrgUnit = org,
            Description = command.Description!.Trim(),
            State = SessionState.Open,
            CreatedBy = scope.UserName,
            CreatedById = scope.UserId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var tx = await BeginAsync(ct);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        audit.Add("session.created", target: $"session {session.Id}", detail: session.Description, orgUnitId: org.Id, sessionId: session.Id);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return session;
    }

    /// <summary>One transaction for a change and its audit entry; without savepoints, which a rollback of the whole does not need.</summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginAsync(CancellationToken ct)
    {
        db.Database.AutoSavepointsEnabled = false;
        return await db.Database.BeginTransactionAsync(ct);
    }

    /// <summary>Checks who may upload what where, then hands the stream to intake.</summary>
    public async Task<IntakeSummary> UploadAsync(long sessionId, string? workstationName, int delta, string fileName, Stream content, CancellationToken ct = default)
    {
        var session = await FindAsync(sessionId, ct) ?? throw Refusals.SessionNotFound.Exception();
        if (!scope.CanUpload)
        {
            throw Refusals.UploadNotAllowed.Exception();
        }
        if (session.State == SessionState.Closed)
        {
            throw Refusals.SessionClosed.Exception();
        }
        var workstation = await ResolveWorkstationAsync(session, workstationName, ct);
        // The audit entry goes in on intake's own connection, inside the transaction that stores the file.
        return await intake.StoreAsync(new IntakeRequest(sessionId, workstation, fileName, delta, scope.UserName), content, ct,
            (conn, summary, token) => AuditLog.WriteAsync(conn, audit.Entry("file.uploaded", target: $"file {summary.FileId} ({fileName})",
                detail: $"{summary.LinesRead} lines: {summary.Stored} stored, {summary.Duplicates} duplicates, {summary.Rejected} rejected",
                orgUnitId: session.OrgUnitId, sessionId: sessionId), token));
    }

    public async Task<string> ResolveWorkstationAsync(OfflineSession session, string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Refusals.WorkstationMissing.Exception();
        }
        var ws = await db.Workstations.AsNoTracking().Include(w => w.OrgUnit).SingleOrDefaultAsync(w => w.Name == name.Trim(), ct)
            ?? throw Refusals.WorkstationNotRegistered(name).Exception();
        if (!ws.OrgUnit!.Path.StartsWith(session.OrgUnit!.Path, StringComparison.Ordinal))
        {
            throw Refusals.WorkstationOutsideSession(ws.Name, ws.OrgUnit.ShortName, session.OrgUnit.ShortName).Exception();
        }
        return ws.Name;
    }

    public async Task CloseAsync(OfflineSession session, CancellationToken ct = default)
    {
        if (session.State == SessionState.Processing)
        {
            throw Refusals.CloseWhileProcessing.Exception();
        }
        await using var tx = await BeginAsync(ct);
        await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.State, SessionState.Closed).SetProperty(x => x.ClosedAt, DateTimeOffset.UtcNow), ct);
        audit.Add("session.closed", target: $"session {session.Id}", orgUnitId: session.OrgUnitId, sessionId: session.Id);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
