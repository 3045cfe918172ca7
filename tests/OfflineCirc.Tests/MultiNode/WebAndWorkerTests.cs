using System.Net;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Processing;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>A web-only node and a worker-only node over one database, as two processes.</summary>
public class WebAndWorkerTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_cookie_and_form_token_from_the_web_node_work_on_the_worker_and_only_the_worker_replays()
    {
        await ProcessingWorld.SeedAsync(_database, patrons: 100, items: 600);
        await using var web = await Nodes.StartAsync(_database.ConnectionString, "web", "web-1");
        await using var worker = await Nodes.StartAsync(_database.ConnectionString, "worker", "worker-1");

        // The worker yields the machine's cores to the web node (docs/adr-022): every one of its threads runs at
        // niceness 10, and every one of the web node's at the usual 0.
        var (workerThreads, webThreads) = (Nodes.Niceness(worker), Nodes.Niceness(web));
        Assert.True(workerThreads.Count > 10 && webThreads.Count > 10, $"{workerThreads.Count} and {webThreads.Count} threads read");
        Assert.All(workerThreads, n => Assert.Equal(Niceness.Worker, n.Value));
        Assert.All(webThreads, n => Assert.Equal(0, n.Value));

        // Signed in on the web node; the same browser then opens and posts a form on the worker.
        var (onWeb, cookies) = Nodes.Browser(web.BaseUrl);
        var (onWorker, _) = Nodes.Browser(worker.BaseUrl, cookies);
        using (onWeb)
        using (onWorker)
        {
            var loginPage = await onWeb.GetStringAsync("/Account/Login");
            var login = await onWeb.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = AppFactory.AdminEmail,
                ["Input.Password"] = AppFactory.AdminPassword,
                ["__RequestVerificationToken"] = PortalClient.AntiforgeryToken(loginPage),
            }));
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

            var sessionsOnWorker = await onWorker.GetAsync("/Sessions");
            Assert.Equal(HttpStatusCode.OK, sessionsOnWorker.StatusCode);

            var form = await onWeb.GetStringAsync("/Sessions");
            var created = await onWorker.PostAsync("/Sessions", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Org"] = "BR1",
                ["Input.Description"] = "Made on the worker with the web node's form",
                ["__RequestVerificationToken"] = PortalClient.AntiforgeryToken(form),
            }));
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }
        await using (var db = _database.CreateContext())
        {
            Assert.Single(db.Sessions, s => s.Description == "Made on the worker with the web node's form");
        }

        // A run asked for on the web node is replayed by the worker, the only node with a job server.
        using var api = await Nodes.AdminApiAsync(web);
        var session = await ProcessingWorld.UploadSessionAsync(_database, api, transactions: 500, seed: 11);
        (await api.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
        await Nodes.WaitUntilAsync(async () => (await Nodes.ProgressAsync(_database.ConnectionString, session)).State == "processed",
            TimeSpan.FromMinutes(2), "the worker replayed the session");
        Assert.StartsWith("worker-1:", await Nodes.ServerOfRunAsync(_database.ConnectionString, session));
        await using (var conn = new NpgsqlConnection(_database.ConnectionString))
        {
            await conn.OpenAsync();
            await using var servers = new NpgsqlCommand("SELECT string_agg(id, ',') FROM hangfire.server", conn);
            var ids = (string)(await servers.ExecuteScalarAsync())!;
            Assert.DoesNotContain("web-1:", ids);
        }

        using var probe = new HttpClient();
        var ready = JsonDocument.Parse(await probe.GetStringAsync(web.BaseUrl + "/healthz/ready")).RootElement;
        Assert.Equal("A web node runs no jobs.", ready.GetProperty("checks").GetProperty("job-server").GetProperty("description").GetString());
        var workerReady = JsonDocument.Parse(await probe.GetStringAsync(worker.BaseUrl + "/healthz/ready")).RootElement;
        Assert.StartsWith("Job server worker-1:", workerReady.GetProperty("checks").GetProperty("job-server").GetProperty("description").GetString());
    }
}
