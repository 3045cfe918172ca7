using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Processing;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>
/// A session's status kept in memory (docs/adr-021) never outlives a change: made through this node, through another,
/// by the worker's replay, at psql, or while a node's listening connection was cut. Each wait is far shorter than a kept
/// status's 30 s, so only the database's notice, or the cut connection, can end it.
/// </summary>
public class SessionStatusChangesTests : IAsyncLifetime
{
    private static readonly TimeSpan Notice = TimeSpan.FromSeconds(5);
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Every_node_answers_a_session_as_it_is_now_and_from_memory_while_the_database_is_busy()
    {
        await ProcessingWorld.SeedAsync(_database, patrons: 100, items: 600);
        await using var a = await Nodes.StartAsync(_database.ConnectionString, "web", "web-a");
        await using var b = await Nodes.StartAsync(_database.ConnectionString, "web", "web-b");
        await using var worker = await Nodes.StartAsync(_database.ConnectionString, "worker", "worker-1");
        using var onA = await Nodes.AdminApiAsync(a);
        using var onB = await Nodes.AdminApiAsync(b);

        var create = await onA.PostAsJsonAsync("/api/sessions", new { org = "CONS", description = "Kept in memory" });
        create.EnsureSuccessStatusCode();
        var session = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        // Both nodes have answered the empty session, twice: from here on they answer from memory.
        foreach (var client in new[] { onA, onB, onA, onB })
        {
            Assert.Equal(0, (await StatusAsync(client, session)).GetProperty("transactions").GetInt64());
        }

        // Uploaded through node A: node A answers with the file on the very next request, node B on its notice.
        var lines = await UploadAsync(onA, session, 300);
        var afterUpload = await StatusAsync(onA, session);
        Assert.Equal(lines, afterUpload.GetProperty("transactions").GetInt64());
        Assert.Equal(1, afterUpload.GetProperty("files").GetArrayLength());
        await WithinNoticeAsync(onB, session, s => s.GetProperty("transactions").GetInt64() == lines, "node B showed the file uploaded on node A");

        // Replayed by the worker: both web nodes follow it to its end, with the figures the database holds.
        (await onA.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
        await Nodes.WaitUntilAsync(async () => (await StatusAsync(onB, session)).GetProperty("state").GetString() == "Processed",
            TimeSpan.FromMinutes(2), "node B showed the session processed");
        var counted = await CountsAsync(session);
        foreach (var client in new[] { onA, onB })
        {
            await WithinNoticeAsync(client, session, s => s.GetProperty("state").GetString() == "Processed", "both nodes showed the session processed");
            var status = await StatusAsync(client, session);
            Assert.Equal(lines, status.GetProperty("progress").GetProperty("done").GetInt64());
            Assert.Equal(counted, status.GetProperty("results").EnumerateObject().ToDictionary(p => p.Name.ToLowerInvariant(), p => p.Value.GetInt64()));
        }

        // Changed at psql, as an operator might: both nodes follow, with nothing of the app involved.
        await ExecAsync($"UPDATE sessions SET description = 'Renamed at psql' WHERE id = {session}");
        await WithinNoticeAsync(onA, session, s => s.GetProperty("description").GetString() == "Renamed at psql", "node A showed the description changed at psql");
        await WithinNoticeAsync(onB, session, s => s.GetProperty("description").GetString() == "Renamed at psql", "node B showed the description changed at psql");

        // With the sessions table locked, so no statement can read it, both nodes still answer what they hold.
        foreach (var client in new[] { onA, onB })
        {
            await StatusAsync(client, session);
        }
        await using (var locker = new NpgsqlConnection(_database.ConnectionString))
        {
            await locker.OpenAsync();
            await using var tx = await locker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE", locker, tx))
            {
                await lockTable.ExecuteNonQueryAsync();
            }
            foreach (var client in new[] { onA, onB })
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                using var answer = await client.GetAsync($"/api/sessions/{session}", timeout.Token);
                // The figures' own metric, beside the token check's: both came from memory.
                var timing = answer.EnsureSuccessStatusCode().Headers.GetValues("Server-Timing").Single();
                Assert.Matches(@"(^|, )status;dur=[0-9.]+;desc=kept($|, )", timing);
                Assert.Matches(@"(^|, )auth;dur=[0-9.]+;desc=kept($|, )", timing);
                // And how long the node held the request, so a client's slower wait shows as the network's or a core's.
                Assert.Matches(@"(^|, )app;dur=[0-9.]+($|, )", timing);
                var held = await answer.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
                Assert.Equal("Renamed at psql", held.GetProperty("description").GetString());
                Assert.Equal(lines, held.GetProperty("transactions").GetInt64());
            }
            await tx.RollbackAsync();
        }

        // The listening connections are cut and the session changed at once: no notice can come, yet neither node
        // answers from what it kept, and once they listen again they follow changes as before.
        await Nodes.AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database.Name}' " +
            $"AND application_name = '{ChangeListener.ApplicationName}'");
        await ExecAsync($"UPDATE sessions SET description = 'Renamed while nobody listened' WHERE id = {session}");
        await WithinNoticeAsync(onA, session, s => s.GetProperty("description").GetString() == "Renamed while nobody listened", "node A showed the change made while it did not listen");
        await WithinNoticeAsync(onB, session, s => s.GetProperty("description").GetString() == "Renamed while nobody listened", "node B showed the change made while it did not listen");
        await Nodes.WaitUntilAsync(async () => await ScalarAsync(
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{ChangeListener.ApplicationName}'") == 3,
            TimeSpan.FromSeconds(30), "every node listened again");
        await StatusAsync(onB, session);
        await ExecAsync($"UPDATE sessions SET description = 'Renamed after they listened again' WHERE id = {session}");
        await WithinNoticeAsync(onB, session, s => s.GetProperty("description").GetString() == "Renamed after they listened again", "node B showed the change made after it listened again");
    }

    private static async Task<JsonElement> StatusAsync(HttpClient client, long session) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");

    private static Task WithinNoticeAsync(HttpClient client, long session, Func<JsonElement, bool> shows, string what) =>
        Nodes.WaitUntilAsync(async () => shows(await StatusAsync(client, session)), Notice, what);

    private async Task<long> UploadAsync(HttpClient client, long session, int transactions)
    {
        await ProcessingWorld.UploadGeneratedAsync(_database, client, session, transactions, seed: 5);
        return await ScalarAsync($"SELECT count(*) FROM offline_transactions WHERE session_id = {session}");
    }

    private async Task<Dictionary<string, long>> CountsAsync(long session)
    {
        var counts = new Dictionary<string, long>();
        await using var cmd = _database.DataSource.CreateCommand(
            $"SELECT status, count(*) FROM transaction_results WHERE session_id = {session} AND is_current GROUP BY status");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    private async Task ExecAsync(string sql)
    {
        await using var cmd = _database.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = _database.DataSource.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
