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
    private static readonly string Unprocessed = $$"""
        (SELECT coalesce(sum(count) FILTER (WHERE name = '{{SessionCounts.Transactions}}'), 0)
              - coalesce(sum(count) FILTER (WHERE name IN ({{string.Join(", ", Enum.GetValues<ResultStatus>().Select(s => $"'{SessionCounts.Of(s)}'"))}})), 0)
         FROM session_counts WHERE session_id = {0})
        """;

    // Never below none: counts of a session a node of an earlier version wrote can lag (the run recounts them).
    private static readonly string PendingSql = $$"""SELECT greatest(0, {{Unprocessed}})::int AS "Value" """;

    private static readonly string PendingForRetrySql = $$"""
        SELECT (greatest(0, {{Unprocessed}})
                + coalesce((SELECT count FROM session_counts WHERE session_id = {0} AND name = '{{SessionCounts.Of(ResultStatus.Failed)}}'), 0)
                + (SELECT count(*) FROM offline_transactions t {{ReplayOrder.CurrentResultJoin}}
                   WHERE t.session_id = {0} AND t.forced AND cr.status = '{{SessionCounts.Of(ResultStatus.Skipped)}}'))::int AS "Value"
        """;

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
        var pending = await db.Database.SqlQueryRaw<int>(kind == RunKind.Retry ? PendingForRetrySql : PendingSql, sessionId).SingleAsync(ct);
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
        return run;
    }
}
