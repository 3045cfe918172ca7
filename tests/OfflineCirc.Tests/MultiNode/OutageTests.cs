using System.Diagnostics;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Processing;
using Xunit.Abstractions;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>Issue 11, finding 5: a run cut off by a database outage does not sit in Processing until Hangfire's timeout.</summary>
public class OutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private string? _calm;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Nodes.AdminAsync($"ALTER DATABASE \"{_database.Name}\" ALLOW_CONNECTIONS true");
        if (_calm is not null)
        {
            await Nodes.AdminAsync($"DROP DATABASE IF EXISTS \"{_calm}\" WITH (FORCE)");
        }
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_cut_off_by_a_database_outage_is_picked_up_within_a_minute_of_the_database_returning_and_applied_once(bool oneTransaction)
    {
        await ProcessingWorld.SeedAsync(_database, patrons: 200, items: 2000);
        long session;
        await using (var uploader = await Nodes.StartAsync(_database.ConnectionString, "web", "uploader"))
        {
            using var api = await Nodes.AdminApiAsync(uploader);
            session = await ProcessingWorld.UploadSessionAsync(_database, api, transactions: 3000, seed: 31);
        }
        (_calm, var calmConnection) = await Nodes.ReplayUninterruptedOnCopyAsync(_database, session);

        // The run cannot pass its 1,500th transaction until the outage cuts this hold with every other connection.
        await using var hold = await RunHold.AfterAsync(_database.ConnectionString, session, 1500);
        await using var worker = await Nodes.StartAsync(_database.ConnectionString, "worker", "worker-1", oneTransaction);
        using (var api = await Nodes.AdminApiAsync(worker))
        {
            (await api.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
        }
        await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, session)).Done >= 400,
            TimeSpan.FromMinutes(2), "the run passed 400 transactions");

        // The database goes away for this app alone: no new connections, and every open one is cut.
        await Nodes.AdminAsync($"ALTER DATABASE \"{_database.Name}\" ALLOW_CONNECTIONS false");
        await Nodes.AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database.Name}'");
        await Task.Delay(TimeSpan.FromSeconds(20));
        await Nodes.AdminAsync($"ALTER DATABASE \"{_database.Name}\" ALLOW_CONNECTIONS true");
        var clock = Stopwatch.StartNew();
        NpgsqlConnection.ClearAllPools();
        var atReturn = await Nodes.ProgressAsync(_database.ConnectionString, session);
        output.WriteLine($"database back at {atReturn.Done}/{atReturn.Total}, state {atReturn.State}");
        Assert.NotEqual("processed", atReturn.State);
        if (oneTransaction)
        {
            Assert.Equal(0, await Nodes.ResultCountAsync(_database.ConnectionString, session));
        }

        try
        {
            // Picked up again: within a minute its progress passes where the outage cut it off (a run that is one
            // transaction committed nothing, so it starts again from its first line).
            await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, session)).Done > atReturn.Done,
                TimeSpan.FromMinutes(1), "the run was picked up again after the outage");
            output.WriteLine($"picked up again {clock.Elapsed.TotalSeconds:0.0} s after the database returned");
            await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, session)).State == "processed",
                TimeSpan.FromMinutes(3), "the run finished after the outage");
            output.WriteLine($"finished {clock.Elapsed.TotalSeconds:0.0} s after the database returned");
        }
        finally
        {
            output.WriteLine(worker.RecentLog(400));
        }
        Assert.Equal(await ProcessingWorld.SnapshotAsync(calmConnection), await ProcessingWorld.SnapshotAsync(_database.ConnectionString));
    }
}
