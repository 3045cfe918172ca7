using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Processing;

namespace OfflineCirc.Tests.MultiNode;

public class TelemetryTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Metrics_are_off_by_default_and_on_by_configuration_with_the_replays_own()
    {
        await using (var plain = new AppFactory(_database))
        {
            using var anonymous = plain.CreateClient();
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/metrics")).StatusCode);
        }

        await ProcessingWorld.SeedAsync(_database, patrons: 50, items: 300);
        await using var app = new AppFactory(_database).With("Telemetry:Prometheus", "true").With("Replay:BatchSize", "50");
        using var admin = PortalClient.WithToken(app, await app.TokenAsync(AppFactory.AdminEmail, AppFactory.AdminPassword));
        var session = await ProcessingWorld.UploadSessionAsync(_database, admin, transactions: 300, seed: 5);
        (await admin.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
        await Nodes.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}")).GetProperty("state").GetString() == "Processed",
            TimeSpan.FromMinutes(2), "the session was replayed");

        using var scraper = app.CreateClient();
        var metrics = await scraper.GetStringAsync("/metrics");
        Assert.Contains("http_server_request_duration_seconds", metrics);
        Assert.Contains("db_client_operation_duration_seconds", metrics);
        Assert.Contains("offlinecirc_replay_transactions_total", metrics);
        Assert.Contains("offlinecirc_replay_batch_duration_seconds_bucket", metrics);
        Assert.Contains("offlinecirc_replay_queue_length", metrics);
        Assert.Contains("offlinecirc_jobs_enqueued", metrics);
    }
}
