using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Processing;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>Issue 11, finding 1: a replay deleted in the job dashboard left its session answering 409 until a restart.</summary>
public class DeletedJobTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_whose_job_is_deleted_mid_run_is_resumed_and_every_transaction_gets_one_result(bool oneTransaction)
    {
        await ProcessingWorld.SeedAsync(_database, patrons: 100, items: 1500);
        await using var app = new AppFactory(_database).With("Replay:BatchSize", "20").With("Jobs:WatchdogSeconds", "1")
            .With("Replay:OneTransaction", oneTransaction ? "true" : "false")
            .With("Jobs:Workers", "1").With("Jobs:CancellationCheckSeconds", "0.5");
        using var admin = PortalClient.WithToken(app, await app.TokenAsync(AppFactory.AdminEmail, AppFactory.AdminPassword));
        var session = await ProcessingWorld.UploadSessionAsync(_database, admin, transactions: 4000, seed: 41);
        // The run cannot pass its 2,000th transaction until its job has been deleted and enqueued again.
        await using var hold = await RunHold.AfterAsync(_database.ConnectionString, session, 2000);
        (await admin.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
        await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, session)).Done >= 200,
            TimeSpan.FromMinutes(2), "the run passed 200 transactions");

        string jobId;
        await using (var db = _database.CreateContext())
        {
            jobId = db.SessionRuns.Single(r => r.SessionId == session).JobId!;
        }
        Assert.True(app.Services.GetRequiredService<IBackgroundJobClient>().Delete(jobId));
        var atDelete = await Nodes.ProgressAsync(_database.ConnectionString, session);
        Assert.True(atDelete.Done < atDelete.Total, "the run had already finished; the test would prove nothing");

        // The watchdog gives the run a new job within a minute, and the run ends.
        await Nodes.WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            return db.SessionRuns.Single(r => r.SessionId == session).JobId != jobId;
        }, TimeSpan.FromMinutes(1), "the run was enqueued again");
        await hold.ReleaseAsync();
        await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, session)).State == "processed",
            TimeSpan.FromMinutes(3), "the resumed run finished");
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*), count(DISTINCT r.transaction_id), count(*) FILTER (WHERE r.is_current)
            FROM transaction_results r JOIN offline_transactions t ON t.id = r.transaction_id WHERE t.session_id = @session
            """, conn);
        cmd.Parameters.AddWithValue("session", session);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((4000L, 4000L, 4000L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }
}
