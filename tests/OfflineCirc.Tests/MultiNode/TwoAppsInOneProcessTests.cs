using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Processing;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>
/// Hangfire keeps a storage and a job activator in process-wide statics. Two apps that start together in one process
/// (as the tests do all the time) must each run their own jobs, against their own database.
/// </summary>
public class TwoAppsInOneProcessTests : IAsyncLifetime
{
    private readonly TestDatabase _first = new();
    private readonly TestDatabase _second = new();

    public Task InitializeAsync() => Task.WhenAll(_first.InitializeAsync(), _second.InitializeAsync());

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Apps_started_together_each_run_their_own_sessions_in_their_own_services()
    {
        await Task.WhenAll(
            ProcessingWorld.SeedAsync(_first, patrons: 30, items: 150),
            ProcessingWorld.SeedAsync(_second, patrons: 30, items: 150));
        await using var one = new AppFactory(_first);
        await using var two = new AppFactory(_second);
        var tokens = await Task.WhenAll(
            one.TokenAsync(AppFactory.AdminEmail, AppFactory.AdminPassword),
            two.TokenAsync(AppFactory.AdminEmail, AppFactory.AdminPassword));

        foreach (var app in new[] { one, two })
        {
            var ownSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            var scope = app.Services.GetRequiredService<JobActivator>().BeginScope((JobActivatorContext)null!);
            Assert.Same(ownSource, scope.Resolve(typeof(NpgsqlDataSource)));
            scope.DisposeScope();
            Assert.NotSame(app == one ? two.Services.GetRequiredService<JobStorage>() : one.Services.GetRequiredService<JobStorage>(),
                app.Services.GetRequiredService<JobStorage>());
        }

        using var firstAdmin = PortalClient.WithToken(one, tokens[0]);
        using var secondAdmin = PortalClient.WithToken(two, tokens[1]);
        var sessions = await Task.WhenAll(
            ProcessingWorld.UploadSessionAsync(_first, firstAdmin, transactions: 120, seed: 3),
            ProcessingWorld.UploadSessionAsync(_second, secondAdmin, transactions: 140, seed: 4));
        (await firstAdmin.PostAsync($"/api/sessions/{sessions[0]}/process", null)).EnsureSuccessStatusCode();
        (await secondAdmin.PostAsync($"/api/sessions/{sessions[1]}/process", null)).EnsureSuccessStatusCode();

        foreach (var (client, session, count) in new[] { (firstAdmin, sessions[0], 120), (secondAdmin, sessions[1], 140) })
        {
            await Nodes.WaitUntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}")).GetProperty("state").GetString() == "Processed",
                TimeSpan.FromMinutes(2), $"session {session} was replayed by its own app");
        }
        foreach (var database in new[] { _first, _second })
        {
            var (transactions, results) = await CountsAsync(database);
            Assert.True(transactions > 100, $"{transactions} transactions stored");
            Assert.Equal(transactions, results);
        }
    }

    private static async Task<(long Transactions, long Results)> CountsAsync(TestDatabase database)
    {
        await using var conn = new NpgsqlConnection(database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM offline_transactions), (SELECT count(*) FROM transaction_results WHERE is_current)", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
