using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// Resumes runs that nobody is working on: an unfinished run whose session lock no connection holds and whose job
/// will not run by itself (its worker died, the job was deleted, or Hangfire could not requeue it after a database
/// outage). Runs inside every worker's Hangfire server; one sweep at a time across nodes (docs/adr-008).
/// </summary>
public sealed class RunWatchdog(
    NpgsqlDataSource dataSource,
    IBackgroundJobClient jobs,
    JobStorage storage,
    JobTimings timings,
    JobServerIdentity identity,
    IServiceScopeFactory scopes,
    ILogger<RunWatchdog> logger) : IBackgroundProcess
{
    // Any fixed number, apart from the migration lock and the session locks.
    private const long SweepLockKey = 0x0FF11_0DC0;

    // States in which Hangfire itself will still run the job.
    private static readonly HashSet<string> WillRun = [EnqueuedState.StateName, ScheduledState.StateName, AwaitingState.StateName];

    // Runs seen orphaned by the previous sweep: a job between being fetched and taking its lock looks orphaned once.
    private HashSet<(long SessionId, int Run, string? JobId)> _suspects = [];

    public void Execute(BackgroundProcessContext context)
    {
        identity.ServerId = context.ServerId;
        try
        {
            SweepAsync(context.StoppingToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left to Hangfire, a failing process backs off for minutes; the next sweep is what recovers a run.
            logger.LogWarning(e, "The run watchdog could not sweep; it tries again in {Seconds} s", timings.Watchdog.TotalSeconds);
        }
        context.StoppingToken.WaitHandle.WaitOne(timings.Watchdog);
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var stalled = new List<(long SessionId, int Run, string StartedBy)>();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            if (!await ScalarAsync<bool>(conn, "SELECT pg_try_advisory_lock($1)", ct, SweepLockKey))
            {
                return;
            }
            try
            {
                await SweepLockedAsync(conn, stalled, ct);
            }
            finally
            {
                await ScalarAsync<bool>(conn, "SELECT pg_advisory_unlock($1)", CancellationToken.None, SweepLockKey);
            }
        }
        foreach (var (sessionId, run, startedBy) in stalled)
        {
            // Hangfire's own processes back off for minutes after a database outage, so a job that should have run by
            // now is not waited for: this worker resumes the run itself. The session lock keeps it to one runner, and a
            // job that starts later finds the run finished.
            logger.LogWarning("Run {Run} of session {SessionId} waits on a job that Hangfire has not started; this worker resumes it", run, sessionId);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ProcessSessionJob>().RunAsync(sessionId, run, startedBy, ct);
        }
    }

    private async Task SweepLockedAsync(NpgsqlConnection conn, List<(long, int, string)> stalled, CancellationToken ct)
    {
        var suspects = new HashSet<(long, int, string?)>();
        foreach (var (sessionId, run, startedBy, jobId) in await OrphanedRunsAsync(conn, ct))
        {
            var state = jobId is null ? null : JobState(jobId);
            if (state is not null && WillRun.Contains(state.Name))
            {
                if (Overdue(state))
                {
                    stalled.Add((sessionId, run, startedBy));
                }
                continue;
            }
            if (!_suspects.Contains((sessionId, run, jobId)))
            {
                suspects.Add((sessionId, run, jobId));
                continue;
            }
            var newJob = jobs.Enqueue<ProcessSessionJob>(j => j.RunAsync(sessionId, run, startedBy, CancellationToken.None));
            await using var update = new NpgsqlCommand("UPDATE session_runs SET job_id = $3 WHERE session_id = $1 AND run = $2", conn)
            {
                Parameters = { new() { Value = sessionId }, new() { Value = run }, new() { Value = newJob } },
            };
            await update.ExecuteNonQueryAsync(ct);
            logger.LogWarning("Run {Run} of session {SessionId} had no live worker (job {OldJob}); enqueued again as job {NewJob}",
                run, sessionId, jobId ?? "none", newJob);
        }
        _suspects = suspects;
    }

    /// <summary>A job Hangfire should have started a while ago (its enqueue or retry time long past) but has not.</summary>
    private bool Overdue(StateData state)
    {
        var key = state.Name == ScheduledState.StateName ? "EnqueueAt" : "EnqueuedAt";
        var due = state.Data.TryGetValue(key, out var text) ? Hangfire.Common.JobHelper.DeserializeNullableDateTime(text) : null;
        return due is { } d && DateTime.UtcNow - d > 3 * timings.Watchdog + timings.Poll;
    }

    /// <summary>Unfinished runs whose session lock (SessionProcessor's advisory lock) no connection to this database holds.</summary>
    private static async Task<List<(long SessionId, int Run, string StartedBy, string? JobId)>> OrphanedRunsAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT r.session_id, r.run, r.started_by, r.job_id FROM session_runs r
            WHERE r.finished_at IS NULL AND NOT EXISTS (
                SELECT 1 FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid = $1::int::oid AND l.objid = r.session_id::int::oid)
            ORDER BY r.session_id
            """, conn)
        {
            Parameters = { new() { Value = SessionProcessor.LockClass } },
        };
        var runs = new List<(long, int, string, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return runs;
    }

    private StateData? JobState(string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
