using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
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

/// <summary>What <c>GET /api/sessions/{id}</c> answers: the session's figures and its files, read together.</summary>
public sealed record SessionReading(SessionStatus Status, IReadOnlyList<FileRow> Files);

/// <summary>Sessions as the people who may see them see them: every query is scoped to the user's org subtree.</summary>
public class SessionService(CircDbContext db, UserScope scope, AuditLog audit, FileIntake intake,
    [FromKeyedServices(Database.Reads)] NpgsqlDataSource reads, SessionStatusCache statuses)
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
        // Files and transactions come from the running counts (docs/adr-016), not from counting a session's lines,
        // which took 0.2 to 0.4 s for each session of a million.
        return await query.OrderByDescending(s => s.CreatedAt).Take(500).Select(s => new SessionRow(
            s.Id, s.OrgUnit!.ShortName, s.OrgUnit.Name, s.Description, s.State.ToString(),
            (int)db.SessionCounts.Where(c => c.SessionId == s.Id && c.Name == SessionCounts.Files).Select(c => c.Count).FirstOrDefault(),
            db.SessionCounts.Where(c => c.SessionId == s.Id && c.Name == SessionCounts.Transactions).Select(c => c.Count).FirstOrDefault(),
            s.CreatedBy, s.CreatedAt, s.RunCount, s.ProgressDone, s.ProgressTotal))
            .ToListAsync(ct);
    }

    public async Task<OfflineSession?> FindAsync(long id, CancellationToken ct = default) =>
        await (await VisibleAsync(ct)).Include(s => s.OrgUnit).SingleOrDefaultAsync(s => s.Id == id, ct);

    // The file columns FileRow maps, in its order; f = uploaded_files.
    private const string FileColumns = """
        f.id, f.workstation, f.file_name, f.uploaded_by, f.uploaded_at, f.format, f.warning, f.lines_read, f.stored, f.duplicates, f.rejected
        """;

    // $1 session, $2 and $3 the caller's subtree (UserScope.ReachesSql): the session row with its running counts, then
    // its files, each only inside the subtree. Both statements go in one round trip on the pool of reads, whose
    // connections are not reset between uses (docs/adr-018, finding 23): the portal and every script poll this.
    private static readonly string StatusSql = $"""
        SELECT o.short_name, s.description, s.state, s.created_by, s.created_at, s.run_count,
               coalesce((SELECT r.done FROM session_runs r WHERE r.session_id = s.id AND r.run = s.run_count), s.progress_done), s.progress_total,
               coalesce(k.names, ARRAY[]::text[]), coalesce(k.counts, ARRAY[]::bigint[])
        FROM sessions s JOIN org_units o ON o.id = s.org_unit_id
        CROSS JOIN LATERAL (SELECT array_agg(c.name) AS names, array_agg(c.count) AS counts FROM session_counts c WHERE c.session_id = s.id) k
        WHERE s.id = $1 AND {UserScope.ReachesSql("o.path")}
        """;

    private static readonly string FilesSql = $"""
        SELECT {FileColumns}
        FROM uploaded_files f JOIN sessions s ON s.id = f.session_id JOIN org_units o ON o.id = s.org_unit_id
        WHERE f.session_id = $1 AND {UserScope.ReachesSql("o.path")}
        ORDER BY f.id
        """;

    /// <summary>
    /// The session's figures without counting anything (docs/adr-016), and its files; null when it is not in the caller's
    /// subtree. Kept in memory while this node hears every change to them (docs/adr-021); <c>Kept</c> says whether they
    /// came from there.
    /// </summary>
    public Task<(SessionReading? Reading, bool Kept)> StatusAsync(long id, CancellationToken ct = default) => statuses.ReadAsync(id, scope.Reach, ct);

    /// <summary>
    /// The session's figures and its files as the database has them now, in one round trip; null when it is not inside
    /// <paramref name="reach"/> (<see cref="UserScope.Reach"/>).
    /// </summary>
    internal static async Task<SessionReading?> ReadStatusAsync(NpgsqlDataSource reads, long id, int reach, CancellationToken ct)
    {
        await using var batch = reads.CreateBatch();
        foreach (var sql in new[] { StatusSql, FilesSql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            UserScope.AddReach(command.Parameters, reach);
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        var counts = reader.GetFieldValue<string[]>(8).Zip(reader.GetFieldValue<long[]>(9)).ToDictionary(c => c.First, c => c.Second);
        // Only the statuses the session has, as when they were counted per request; in a fixed order, so the tag is stable.
        var results = Enum.GetValues<ResultStatus>().Where(x => counts.GetValueOrDefault(SessionCounts.Of(x)) > 0)
            .ToDictionary(x => x.ToString(), x => counts[SessionCounts.Of(x)]);
        var status = new SessionStatus(id, reader.GetString(0), reader.GetString(1),
            SnakeCaseEnum.Parse<SessionState>(reader.GetString(2)).ToString(), reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
            counts.GetValueOrDefault(SessionCounts.Transactions), counts.GetValueOrDefault(SessionCounts.Files), results);
        await reader.NextResultAsync(ct);
        return new SessionReading(status, await ReadFilesAsync(reader, ct));
    }

    /// <summary>A session's files, oldest first; the caller has already found the session inside its subtree.</summary>
    public async Task<List<FileRow>> FilesAsync(long sessionId, CancellationToken ct = default)
    {
        await using var cmd = reads.CreateCommand($"SELECT {FileColumns} FROM uploaded_files f WHERE f.session_id = $1 ORDER BY f.id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReadFilesAsync(reader, ct);
    }

    private static async Task<List<FileRow>> ReadFilesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var files = new List<FileRow>();
        while (await reader.ReadAsync(ct))
        {
            files.Add(new FileRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)));
        }
        return files;
    }

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
