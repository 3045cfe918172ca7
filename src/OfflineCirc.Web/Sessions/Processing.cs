using Hangfire;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Audit;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Sessions;

/// <summary>The Hangfire job that replays one run of a session; resumable, so Hangfire's retry is the safety net.</summary>
public class ProcessSessionJob(SessionProcessor processor, Node node, ILogger<ProcessSessionJob> logger)
{
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [2, 5, 10, 30, 60])]
    [JobDisplayName("Replay session {0}, run {1}")]
    public async Task RunAsync(long sessionId, int run, string processedBy, CancellationToken ct)
    {
        try
        {
            logger.LogInformation("Node {Node} takes session {SessionId} run {Run}", node.Name, sessionId, run);
            await processor.RunAsync(sessionId, run, processedBy, ct);
        }
        catch (SessionBusyException)
        {
            // Another worker holds the session's lock and will finish this run; one run per session at a time.
            logger.LogInformation("Session {SessionId} run {Run} is being processed by another worker", sessionId, run);
        }
    }
}

/// <summary>Starts runs for people (page and API); runs nobody works on are resumed by the RunWatchdog.</summary>
public class Processing(SessionProcessor processor, IBackgroundJobClient jobs, UserScope scope, AuditLog audit, CircDbContext db)
{
    public async Task<int> StartAsync(long sessionId, RunKind kind, CancellationToken ct)
    {
        int run;
        try
        {
            // The run's audit entry is added to the context that starts the run, so both commit together.
            run = await processor.StartRunAsync(sessionId, kind, scope.UserName, ct, (runDb, number) => runDb.AuditEntries.Add(
                audit.Entry(kind == RunKind.Retry ? "run.retried" : "run.started", target: $"session {sessionId} run {number}", sessionId: sessionId)));
        }
        catch (SessionBusyException)
        {
            throw Refusals.AlreadyProcessing.Exception();
        }
        catch (SessionClosedException)
        {
            throw Refusals.SessionClosedForRuns.Exception();
        }
        catch (KeyNotFoundException)
        {
            throw Refusals.SessionNotFound.Exception();
        }
        var jobId = jobs.Enqueue<ProcessSessionJob>(j => j.RunAsync(sessionId, run, scope.UserName, CancellationToken.None));
        await db.SessionRuns.Where(r => r.SessionId == sessionId && r.Run == run).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobId, jobId), ct);
        return run;
    }
}
