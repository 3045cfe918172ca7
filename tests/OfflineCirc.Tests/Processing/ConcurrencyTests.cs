using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Processing;

public class ConcurrencyTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private AppFactory _app = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await ProcessingWorld.SeedAsync(_database, patrons: 100, items: 500);
        _app = new AppFactory(_database).With("Replay:BatchSize", "50");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Two_simultaneous_process_requests_start_one_run()
    {
        using var admin = PortalClient.WithToken(_app, await _app.TokenAsync(AppFactory.AdminEmail, AppFactory.AdminPassword));
        var session = await ProcessingWorld.UploadSessionAsync(_database, admin, transactions: 1500, seed: 3);
        var first = admin.PostAsync($"/api/sessions/{session}/process", null);
        var second = admin.PostAsync($"/api/sessions/{session}/process", null);
        var answers = await Task.WhenAll(first, second);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        var refused = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("already processing", await refused.Content.ReadAsStringAsync());
        await using var db = _app.CreateContext();
        Assert.Equal(1, await db.SessionRuns.CountAsync(r => r.SessionId == session));
    }

}
