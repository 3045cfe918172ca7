using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Tests.Security;

/// <summary>
/// A node renders a set number of pages at once and lets the others wait their turn in order (docs/adr-020); one more
/// than may wait is told the portal is busy. The API, health probes and form posts never wait for a page's turn.
/// </summary>
public class PageAdmissionTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Email = "admin.br1@test.example";
    private AppFactory _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = new AppFactory(database).With("Portal:PagesAtOnce", "1").With("Portal:PagesQueued", "1");
        _ = _app.Server;
        await using var db = _app.CreateContext();
        var orgs = await TestOrgs.CreateAsync(db);
        await TestOrgs.CreateUserAsync(_app.Services, Email, Roles.Administrator, orgs.Br1);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Pages_beyond_the_limit_wait_in_order_then_the_next_is_told_the_portal_is_busy_while_the_api_answers()
    {
        using var portal = PortalClient.Create(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.LoginAsync(Email, TestOrgs.Password)).StatusCode);
        var formPage = await portal.Http.GetStringAsync("/Sessions");
        var admission = _app.Services.GetRequiredService<PageAdmission>();

        // The workstations page cannot read its table while this transaction holds it, so it keeps the one turn.
        await using var blocker = new NpgsqlConnection(_app.ConnectionString);
        await blocker.OpenAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE workstations IN ACCESS EXCLUSIVE MODE", blocker, tx))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        var first = portal.Http.GetAsync("/Admin/Workstations");
        await WaitUntilAsync(() => admission.Statistics?.CurrentAvailablePermits == 0, "the first page takes the turn");
        var second = portal.Http.GetAsync("/Admin/Workstations");
        await WaitUntilAsync(() => admission.Statistics?.CurrentQueuedCount == 1, "the second page waits");

        var third = await portal.Http.GetAsync("/Sessions");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal("5", third.Headers.RetryAfter?.ToString());
        var busy = await third.Content.ReadAsStringAsync();
        Assert.Contains("The portal is busy with many pages at once. Wait a few seconds and try again.", busy);
        Assert.Contains("Busy right now", busy);

        // Not pages: they answer at once while the turn is held and one page waits.
        Assert.Equal(HttpStatusCode.OK, (await portal.Http.GetAsync("/api/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.Http.GetAsync("/healthz/live")).StatusCode);
        var created = await portal.Http.PostAsync("/Sessions", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Org"] = "BR1",
            ["Input.Description"] = "Posted while pages wait",
            ["__RequestVerificationToken"] = PortalClient.AntiforgeryToken(formPage),
        }));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        await tx.RollbackAsync();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.Http.GetAsync("/Sessions")).StatusCode);
        Assert.Equal(1, admission.Statistics?.CurrentAvailablePermits);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            Assert.True(waited < 10_000, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
