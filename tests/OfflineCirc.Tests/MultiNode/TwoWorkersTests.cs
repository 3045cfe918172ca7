using System.Diagnostics;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Processing;
using Xunit.Abstractions;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>Two worker nodes over one database: a killed worker's run finishes on the other; two sessions run side by side.</summary>
public class TwoWorkersTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private string? _calm;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_calm is not null)
        {
            await Nodes.AdminAsync($"DROP DATABASE IF EXISTS \"{_calm}\" WITH (FORCE)");
        }
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_whose_worker_is_killed_is_resumed_by_the_other_within_a_minute_and_two_sessions_run_on_two_workers(bool oneTransaction)
    {
        await ProcessingWorld.SeedAsync(_database, patrons: 200, items: 2000);
        long killed, first, second;
        await using (var uploader = await Nodes.StartAsync(_database.ConnectionString, "web", "uploader"))
        {
            using var api = await Nodes.AdminApiAsync(uploader);
            killed = await ProcessingWorld.UploadSessionAsync(_database, api, transactions: 4000, seed: 21);
            first = await ProcessingWorld.UploadSessionAsync(_database, api, transactions: 2000, seed: 22);
            second = await ProcessingWorld.UploadSessionAsync(_database, api, transactions: 2000, seed: 23);
        }
        (_calm, var calmConnection) = await Nodes.ReplayUninterruptedOnCopyAsync(_database, killed);

        // The run cannot pass its 2,000th transaction until the victim is killed, however fast the machine replays.
        await using var hold = await RunHold.AfterAsync(_database.ConnectionString, killed, 2000);
        var nodes = new Dictionary<string, AppProcess>
        {
            ["worker-1"] = await Nodes.StartAsync(_database.ConnectionString, "worker", "worker-1", oneTransaction),
            ["worker-2"] = await Nodes.StartAsync(_database.ConnectionString, "worker", "worker-2", oneTransaction),
        };
        try
        {
            using (var api = await Nodes.AdminApiAsync(nodes["worker-1"]))
            {
                (await api.PostAsync($"/api/sessions/{killed}/process", null)).EnsureSuccessStatusCode();
            }
            await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, killed)).Done >= 600,
                TimeSpan.FromMinutes(2), "the run passed 600 transactions");
            var victim = (await Nodes.ServerOfRunAsync(_database.ConnectionString, killed))!.Split(':')[0];
            var survivor = nodes.Keys.Single(k => k != victim);
            await nodes[victim].KillAsync();
            var clock = Stopwatch.StartNew();
            var atKill = await Nodes.ProgressAsync(_database.ConnectionString, killed);
            await hold.ReleaseAsync();
            output.WriteLine($"SIGKILL of {victim} at {atKill.Done}/{atKill.Total}");
            Assert.True(atKill.Done < atKill.Total, "the run had already finished; the test would prove nothing");
            if (oneTransaction)
            {
                Assert.Equal(0, await Nodes.ResultCountAsync(_database.ConnectionString, killed));
            }

            // Resumed: within a minute of the kill the survivor's progress passes the victim's (from the next batch, or
            // from the first line again when the run is one transaction).
            await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, killed)).Done > atKill.Done,
                TimeSpan.FromMinutes(1), $"{survivor} resumed the run");
            output.WriteLine($"{survivor} resumed the run {clock.Elapsed.TotalSeconds:0.0} s after the kill");
            await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, killed)).State == "processed",
                TimeSpan.FromMinutes(3), $"{survivor} finished the run");
            output.WriteLine($"{survivor} finished the run {clock.Elapsed.TotalSeconds:0.0} s after the kill");
            Assert.StartsWith(survivor + ":", await Nodes.ServerOfRunAsync(_database.ConnectionString, killed));

            var expected = await ProcessingWorld.SnapshotAsync(calmConnection);
            Assert.StartsWith("4000 rows", expected["results"]);
            Assert.Equal(expected, await ProcessingWorld.SnapshotAsync(_database.ConnectionString));

            // Two workers again; two sessions asked for together run on both.
            await nodes[victim].DisposeAsync();
            nodes[victim] = await Nodes.StartAsync(_database.ConnectionString, "worker", victim, oneTransaction);
            using (var api = await Nodes.AdminApiAsync(nodes[survivor]))
            {
                await Task.WhenAll(
                    api.PostAsync($"/api/sessions/{first}/process", null),
                    api.PostAsync($"/api/sessions/{second}/process", null));
            }
            foreach (var session in new[] { first, second })
            {
                await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, session)).State == "processed",
                    TimeSpan.FromMinutes(2), $"session {session} was replayed");
            }
            var servers = new[] { await Nodes.ServerOfRunAsync(_database.ConnectionString, first), await Nodes.ServerOfRunAsync(_database.ConnectionString, second) }
                .Select(s => s!.Split(':')[0]).ToList();
            output.WriteLine($"session {first} ran on {servers[0]}, session {second} on {servers[1]}");
            Assert.Equal(new[] { "worker-1", "worker-2" }, servers.Order());
        }
        finally
        {
            foreach (var node in nodes.Values)
            {
                await node.DisposeAsync();
            }
        }
    }
}
