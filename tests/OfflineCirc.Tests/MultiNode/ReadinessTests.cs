using System.Diagnostics;
using System.Net;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OfflineCirc.Tests.MultiNode;

public class ReadinessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ready_turns_unready_while_PostgreSQL_is_stopped_and_ready_again_after_while_live_stays_up()
    {
        var clock = Stopwatch.StartNew();
        await using var pg = await ThrowawayPostgres.CreateAsync();
        output.WriteLine($"cluster made and started in {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            await using var node = await AppProcess.StartAsync(pg.ConnectionString, Nodes.Settings("both", "ready-1"));
            output.WriteLine($"app migrated and ready at {clock.Elapsed.TotalSeconds:0.0} s");
            using var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

            await pg.StopAsync();
            await Nodes.WaitUntilAsync(async () => (await http.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30), "ready said unavailable");
            var body = await (await http.GetAsync("/healthz/ready")).Content.ReadAsStringAsync();
            output.WriteLine(body);
            Assert.Contains("The database does not answer.", body);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);

            output.WriteLine($"unready at {clock.Elapsed.TotalSeconds:0.0} s");
            await pg.StartAsync();
            await Nodes.WaitUntilAsync(async () => (await http.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), "ready said OK again");
            output.WriteLine($"ready again at {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
    }
}
