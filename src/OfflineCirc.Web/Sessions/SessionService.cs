using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Audit;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Sessions;

public sealed record SessionRow(
    long Id, string Org, string OrgName, string Description, string State, int Files, long Transactions,
    string CreatedBy, DateTimeOffset CreatedAt, int RunCount, int ProgressDone, int ProgressTotal);

public sealed record FileRow(
    long Id, string Workstation, string FileName, string UploadedBy, DateTimeOffset UploadedAt, string Format, string? Warning,
    int LinesRead, int Stored, int Duplicates, int Rejected);

/// <summary>Sessions as the people who may see them see them: every query is scoped to the user's org subtree.</summary>
public class SessionService(CircDbContext db, UserScope scope, AuditLog audit, FileIntake intake)
{
    public async Task<IQueryable<OfflineSession>> VisibleAsync(CancellationToken ct = default)
    {
        var path = await scope.SubtreePathAsync(ct) ?? "\u0000";
        return db.Sessions.AsNoTracking().Where(s => s.OrgUnit!.Path.StartsWith(path));
    }

    public async Task<List<SessionRow>> ListAsync(string? orgShortName, CancellationToken ct = default)
    {
        var query = await VisibleAsync(ct);
        if (!string.IsNullOrWhiteSpace(orgShortName))
        {
            var org = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.ShortName == orgShortName.Trim(), ct);
            var prefix = org?.Path ?? "\u0000";
            query = query.Where(s => s.OrgUnit!.Path.StartsWith(prefix));
        }
        return await query.OrderByDescending(s => s.CreatedAt).Take(500).Select(s => new SessionRow(
            s.Id, s.OrgUnit!.ShortName, s.OrgUnit.Name, s.Description, s.State.ToString(), s.Files.Count,
            db.Transactions.LongCount(t => t.SessionId == s.Id), s.CreatedBy, s.CreatedAt, s.RunCount, s.ProgressDone, s.ProgressTotal))
            .ToListAsync(ct);
    }

    public async Task<OfflineSession?> FindAsync(long id, CancellationToken ct = default) =>
        await (await VisibleAsync(ct)).Include(s => s.OrgUnit).SingleOrDefaultAsync(s => s.Id == id, ct);

    public Task<List<FileRow>> FilesAsync(long sessionId, CancellationToken ct = default) =>
        db.UploadedFiles.AsNoTracking().Where(f => f.SessionId == sessionId).OrderBy(f => f.Id)
            .Select(f => new FileRow(f.Id, f.Workstation, f.FileName, f.UploadedBy, f.UploadedAt, f.Format, f.Warning,
                f.LinesRead, f.Stored, f.Duplicates, f.Rejected))
            .ToListAsync(ct);

    public Task<List<RejectedLine>> RejectedAsync(long sessionId, int limit, CancellationToken ct = default) =>
        db.RejectedLines.AsNoTracking().Where(r => r.SessionId == sessionId).OrderBy(r => r.FileId).ThenBy(r => r.LineNumber)
            .Take(limit).ToListAsync(ct);

    public async Task<OfflineSession> CreateAsync(string orgShortName, string description, CancellationToken ct = default)
    {
        var org = await db.OrgUnits.SingleOrDefaultAsync(o => o.ShortName == orgShortName.Trim(), ct)
            ?? throw new IntakeException($"There is no library with the short name '{orgShortName}'.");
        if (!await scope.ReachesAsync(org.Id, ct))
        {
            throw new IntakeException($"Library '{org.ShortName}' is outside the libraries you manage.", StatusCodes.Status403Forbidden);
        }
        var session = new OfflineSession
        {
            OrgUnitId = org.Id,
            OrgUnit = org,
            Description = description.Trim(),
            State = SessionState.Open,
            CreatedBy = scope.UserName,
            CreatedById = scope.UserId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        audit.Add("session.created", target: $"session {session.Id}", detail: session.Description, orgUnitId: org.Id, sessionId: session.Id);
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>Checks who may upload what where, then hands the stream to intake.</summary>
    public async Task<IntakeSummary> UploadAsync(long sessionId, string? workstationName, int delta, string fileName, Stream content, CancellationToken ct = default)
    {
        var session = await FindAsync(sessionId, ct) ?? throw new IntakeException("This session does not exist or is outside your libraries.", StatusCodes.Status404NotFound);
        if (!scope.CanUpload)
        {
            throw new IntakeException("Your account may not upload files. Staff and administrators can.", StatusCodes.Status403Forbidden);
        }
        if (session.State == SessionState.Closed)
        {
            throw new IntakeException("This session is closed and takes no more uploads. Create a new session.", StatusCodes.Status409Conflict);
        }
        var workstation = await ResolveWorkstationAsync(session, workstationName, ct);
        var summary = await intake.StoreAsync(new IntakeRequest(sessionId, workstation, fileName, delta, scope.UserName), content, ct);
        audit.Add("file.uploaded", target: $"file {summary.FileId} ({fileName})",
            detail: $"{summary.LinesRead} lines: {summary.Stored} stored, {summary.Duplicates} duplicates, {summary.Rejected} rejected",
            orgUnitId: session.OrgUnitId, sessionId: sessionId);
        await db.SaveChangesAsync(ct);
        return summary;
    }

    public async Task<string> ResolveWorkstationAsync(OfflineSession session, string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new IntakeException("Say which workstation recorded this file.");
        }
        var ws = await db.Workstations.AsNoTracking().Include(w => w.OrgUnit).SingleOrDefaultAsync(w => w.Name == name.Trim(), ct)
            ?? throw new IntakeException($"Workstation '{name.Trim()}' is not registered. Register it under Workstations first.");
        if (!ws.OrgUnit!.Path.StartsWith(session.OrgUnit!.Path, StringComparison.Ordinal))
        {
            throw new IntakeException($"Workstation '{ws.Name}' belongs to {ws.OrgUnit.ShortName}, outside this session's library {session.OrgUnit.ShortName}.");
        }
        return ws.Name;
    }

    public async Task CloseAsync(OfflineSession session, CancellationToken ct = default)
    {
        if (session.State == SessionState.Processing)
        {
            throw new IntakeException("The session is being processed; close it when the run has finished.", StatusCodes.Status409Conflict);
        }
        await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.State, SessionState.Closed).SetProperty(x => x.ClosedAt, DateTimeOffset.UtcNow), ct);
        audit.Add("session.closed", target: $"session {session.Id}", orgUnitId: session.OrgUnitId, sessionId: session.Id);
        await db.SaveChangesAsync(ct);
    }
}
