using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Core.Replay;

public enum RunKind
{
    /// <summary>Process what no run has processed yet (a new session, or files uploaded since the last run).</summary>
    Process,
    /// <summary>As Process, plus the failed transactions and the forced skipped ones (docs/replay-rules.md, fix and retry).</summary>
    Retry,
}

public sealed partial class SessionProcessor
{
    // The run's size as the session's running counts give it (docs/adr-016): the lines without a current result, and
    // for a retry the failed ones and the skipped ones forced. Counting the lines themselves read every line of the
    // session before the run was even queued (2.2 s at a million, the first read after the upload setting each page's
    // hint bits; docs/adr-018, finding 48). The run counts its lines when it starts, and its progress follows that.
    private static readonly string PendingSql = $"SELECT {SessionCounts.UnprocessedSql}::int";

    private static readonly string PendingForRetrySql = $"SELECT ({SessionCounts.UnprocessedSql} + {SessionCounts.RetryableSql})::int";

    /// <summary>
    /// Opens the next run of a session and returns its number; enqueue <see cref="RunAsync"/> with it. What the run
    /// processes follows from the results alone (<see cref="ReplayOrder.Pending"/>), so a crash before or during the
    /// run still leaves exactly the lines it has not processed. Throws <see cref="SessionBusyException"/> when a run is
    /// unfinished, and <see cref="InvalidOperationException"/> for a closed session.
    /// </summary>
    /// <param name="alongside">Adds what must commit with the run's start (its audit entry) to the same context.</param>
    public async Task<int> StartRunAsync(long sessionId, RunKind kind, string startedBy, CancellationToken ct = default,
        Action<CircDbContext, int>? alongside = null)
    {
        await using var db = NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = await db.Sessions.FromSql($"SELECT * FROM sessions WHERE id = {sessionId} FOR UPDATE").SingleOrDefaultAsync(ct)
            ?? throw new KeyNotFoundException($"Session {sessionId} does not exist.");
        if (session.State == SessionState.Closed)
        {
            throw new SessionClosedException(sessionId);
        }
        if (await db.SessionRuns.AnyAsync(r => r.SessionId == sessionId && r.FinishedAt == null, ct))
        {
            throw new SessionBusyException(sessionId);
        }
        var run = session.RunCount + 1;
        int pending;
        await using (var size = _dataSource.CreateCommand(kind == RunKind.Retry ? PendingForRetrySql : PendingSql))
        {
            size.Parameters.Add(new NpgsqlParameter { Value = sessionId });
            pending = (int)(await size.ExecuteScalarAsync(ct))!;
        }
        db.SessionRuns.Add(new SessionRun
        {
            SessionId = sessionId,
            Run = run,
            Kind = SnakeCaseEnum.ToSnake(kind),
            StartedBy = startedBy,
            StartedAt = _time.GetUtcNow(),
            Total = pending,
        });
        session.RunCount = run;
        session.State = SessionState.Processing;
        session.ProgressTotal = pending;
        session.ProgressDone = 0;
        alongside?.Invoke(db, run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new SessionBusyException(sessionId);
        }
        await tx.CommitAsync(ct);
        SessionChanged?.Invoke(sessionId);
        return run;
    }
}
