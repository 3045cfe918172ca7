using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OfflineCirc.Tests.Processing;

public class CrashSafetyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private string? _copy;


    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_copy is not null)
        {
            await AdminAsync($"DROP DATABASE IF EXISTS \"{_copy}\" WITH (FORCE)");
        }
        await _database.DisposeAsync();
    }

    /// <summary>
    /// A run by batch keeps the batches it committed and goes on from the next; a run that is one transaction keeps
    /// nothing and starts again from its first line. Either way the end is the uninterrupted run's.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_killed_three_times_and_restarted_ends_exactly_like_an_uninterrupted_run(bool oneTransaction)
    {
        var settings = new Dictionary<string, string> { ["Replay:BatchSize"] = "100", ["Replay:OneTransaction"] = oneTransaction ? "true" : "false" };
        await ProcessingWorld.SeedAsync(_database, patrons: 400, items: 4000);
        long session;
        await using (var app = await AppProcess.StartAsync(_database.ConnectionString, settings))
        {
            using var admin = await AdminClientAsync(app);
            session = await ProcessingWorld.UploadSessionAsync(_database, admin, transactions: 6000, seed: 7);
        }

        // The same starting point, copied before anything is processed.
        NpgsqlConnection.ClearAllPools();
        _copy = _database.Name + "_calm";
        // Idle pooled connections of the killed app or of this test would block the copy.
        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database.Name}' AND pid <> pg_backend_pid()");
        await AdminAsync($"CREATE DATABASE \"{_copy}\" TEMPLATE \"{_database.Name}\"");
        var calmConnection = TestDatabase.ForDatabase(_copy);
        await using (var calm = await AppProcess.StartAsync(calmConnection, settings))
        {
            using var admin = await AdminClientAsync(calm);
            (await admin.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
            await WaitForStateAsync(admin, session, "Processed", TimeSpan.FromMinutes(5));
        }

        // Each kill comes before the run can pass a point held for it, however fast the machine replays.
        var hold = await MultiNode.RunHold.AfterAsync(_database.ConnectionString, session, 1500);
        var app2 = await AppProcess.StartAsync(_database.ConnectionString, settings);
        try
        {
            using (var admin = await AdminClientAsync(app2))
            {
                (await admin.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
            }
            var lastDone = 0;
            for (var kill = 1; kill <= 3; kill++)
            {
                // The figure the killed run left stays until the restarted run counts its own, so it is not waited for.
                var (done, total) = await WaitForProgressBeyondAsync(session, (oneTransaction ? 0 : lastDone) + 150, lastDone, TimeSpan.FromMinutes(3));
                await app2.KillAsync();
                output.WriteLine($"kill {kill}: SIGKILL at {done}/{total}");
                Assert.True(done < total, $"kill {kill} came after the run had finished ({done}/{total}); the test would prove nothing");
                if (oneTransaction)
                {
                    Assert.Equal(0, await MultiNode.Nodes.ResultCountAsync(_database.ConnectionString, session));
                }
                lastDone = done;
                await app2.DisposeAsync();
                await hold.DisposeAsync();
                if (kill < 3)
                {
                    hold = await MultiNode.RunHold.AfterAsync(_database.ConnectionString, session, 1500 * (kill + 1));
                }
                app2 = await AppProcess.StartAsync(_database.ConnectionString, settings);
            }
            using var last = await AdminClientAsync(app2);
            await WaitForStateAsync(last, session, "Processed", TimeSpan.FromMinutes(5));
        }
        finally
        {
            await app2.DisposeAsync();
            await hold.DisposeAsync();
        }

        var expected = await ProcessingWorld.SnapshotAsync(calmConnection);
        var actual = await ProcessingWorld.SnapshotAsync(_database.ConnectionString);
        foreach (var (table, value) in expected)
        {
            output.WriteLine($"{table}: {value}");
        }
        Assert.Equal(expected, actual);
        Assert.DoesNotContain(" 0 rows", expected["results"]);
        Assert.StartsWith("6000 rows", expected["results"]);
    }

    /// <summary>Waits until the run's progress is at least <paramref name="atLeast"/> and not the killed run's <paramref name="left"/>.</summary>
    private async Task<(int Done, int Total)> WaitForProgressBeyondAsync(long session, int atLeast, int left, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var (_, done, total) = await MultiNode.Nodes.ProgressAsync(_database.ConnectionString, session);
            if ((done >= atLeast && done != left) || (total > 0 && done >= total))
            {
                return (done, total);
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"The run did not pass {atLeast} transactions in time.");
    }

    private static async Task WaitForStateAsync(HttpClient client, long session, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var detail = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
            if (detail.GetProperty("state").GetString() == state)
            {
                return;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Session {session} did not reach {state} in time.");
    }

    private static async Task<HttpClient> AdminClientAsync(AppProcess app)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var token = await PortalClient.RequestTokenAsync(client, AppFactory.AdminEmail, AppFactory.AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
