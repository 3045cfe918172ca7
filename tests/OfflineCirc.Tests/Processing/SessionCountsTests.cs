using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Reports;

namespace OfflineCirc.Tests.Processing;

/// <summary>
/// The figures of GET /api/sessions/{id} are running counts kept by intake and the replay (docs/adr-016); here they are
/// compared with the rows themselves after each step an administrator takes, through the real endpoints and job.
/// </summary>
public class SessionCountsTests
{
    // A checkout by a patron nobody has (fixed below) and one of an item nobody has (fails again on the retry).
    private static readonly string Failing = string.Join('\n',
        """{"id":"6c0f5a52-1d3e-4f7a-9b21-5e8d4c3b2a10","timestamp":1772721000,"type":"checkout","workstation":"BR1-CIRC-01","org":"BR1","patron_barcode":"29999999999999","barcode":"31234000078901","checkout_time":"2026-03-05T09:30:00-05:00","delta":0}""",
        """{"id":"7d1e6b63-2e4f-4a8b-8c32-6f9e5d4c3b21","timestamp":1772721060,"type":"checkout","workstation":"BR1-CIRC-01","org":"BR1","patron_barcode":"21234000005678","barcode":"39999999999999","checkout_time":"2026-03-05T09:31:00-05:00","delta":0}""");

    [Fact]
    public async Task Counts_equal_the_rows_after_upload_process_correction_and_retry()
    {
        await using var world = await SampleWorld.StartAsync();
        var session = await world.CreateSessionAsync();
        await AssertCountsAsync(world, session, "a new session");

        await world.UploadSampleAsync(session, "native.jsonl");
        Assert.Equal(2, (await world.UploadAsync(session, Encoding.UTF8.GetBytes(Failing), "failing.jsonl")).Stored);
        // The same file again: a file more, every line a duplicate, no transaction more.
        var again = await world.UploadSampleAsync(session, "native.jsonl", "BR1-CIRC-02");
        Assert.Equal(0, again.Stored);
        var uploaded = await AssertCountsAsync(world, session, "after three uploads");
        Assert.Equal((3, 0L), (uploaded.Files, uploaded.Results.Values.Sum()));

        await world.ProcessAsync(session);
        var processed = await AssertCountsAsync(world, session, "after processing");
        Assert.True(processed.Results.GetValueOrDefault("Failed") == 2, Show(processed.Results));
        Assert.Equal(processed.Transactions, processed.Results.Values.Sum());
        // Each count of results was written by the database transaction of a batch that wrote results.
        Assert.Equal(0L, await world.ScalarAsync<long>("""
            SELECT count(*) FROM session_counts c
            WHERE c.session_id = $1 AND c.name NOT IN ('transactions', 'files')
              AND NOT EXISTS (SELECT 1 FROM transaction_results r WHERE r.session_id = c.session_id AND r.xmin = c.xmin)
            """, session));

        // The administrator corrects the unknown patron on the exceptions page, then retries the failed two.
        var fixedTx = await world.ScalarAsync<long>("SELECT id FROM offline_transactions WHERE session_id = $1 AND patron_barcode = '29999999999999'", session);
        using (var portal = PortalClient.Create(world.App))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await portal.LoginAsync(AppFactory.AdminEmail, AppFactory.AdminPassword)).StatusCode);
            Assert.Equal(2, await AssertRetryableAsync(world, portal, session, "after processing"));
            var list = $"/Sessions/Exceptions/{session}?status=Failed";
            var edit = await portal.PostFormAsync(PageForms.Action(await portal.Http.GetStringAsync(list), "Edit"),
                new() { ["tx"] = fixedTx.ToString(), ["patronBarcode"] = "22000000123", ["itemBarcode"] = "31234000078901", ["dueDate"] = "" }, list);
            Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
            Assert.Equal(2, await AssertRetryableAsync(world, portal, session, "after the correction"));
        }
        await AssertCountsAsync(world, session, "after the correction");

        await world.RunAsync(session, "retry");
        var retried = await AssertCountsAsync(world, session, "after the retry");
        Assert.True(retried.Results.GetValueOrDefault("Failed") == 1, Show(retried.Results));
        Assert.Equal(processed.Transactions, retried.Results.Values.Sum());
        Assert.NotEqual("failed", await world.ScalarAsync<string>("SELECT status FROM transaction_results WHERE transaction_id = $1 AND is_current", fixedTx));
        // Each retried transaction keeps its earlier result, no longer current, which the counts left out.
        Assert.Equal(processed.Transactions + 2, await world.ScalarAsync<long>("SELECT count(*) FROM transaction_results WHERE session_id = $1", session));

        // Another session's check-in recorded years before the first session lent the item is skipped; forced, a
        // retry takes it up too.
        var later = await world.CreateSessionAsync();
        const string OldCheckin = """{"id":"8e2f7c74-3f5a-4b9c-9d43-7a0f6e5d4c32","timestamp":1577890800,"type":"checkin","workstation":"BR1-CIRC-01","org":"BR1","barcode":"31234000012345","delta":0}""";
        Assert.Equal(1, (await world.UploadAsync(later, Encoding.UTF8.GetBytes(OldCheckin), "old.jsonl")).Stored);
        await world.ProcessAsync(later);
        using (var portal = PortalClient.Create(world.App))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await portal.LoginAsync(AppFactory.AdminEmail, AppFactory.AdminPassword)).StatusCode);
            Assert.Equal(0, await AssertRetryableAsync(world, portal, later, "after the skip"));
            var list = $"/Sessions/Exceptions/{later}?status=Skipped";
            var force = await portal.PostFormAsync(PageForms.Action(await portal.Http.GetStringAsync(list), "Force"),
                new() { ["tx"] = (await world.ScalarAsync<long>("SELECT id FROM offline_transactions WHERE session_id = $1", later)).ToString() }, list);
            Assert.Equal(HttpStatusCode.Redirect, force.StatusCode);
            Assert.Equal(1, await AssertRetryableAsync(world, portal, later, "after the force"));
        }
        await world.RunAsync(later, "retry");
        Assert.NotEqual("skipped", await world.ScalarAsync<string>(
            "SELECT r.status FROM transaction_results r JOIN offline_transactions t ON t.id = r.transaction_id WHERE t.session_id = $1 AND r.is_current", later));
    }

    [Fact]
    public async Task A_run_is_sized_from_the_running_counts_when_it_starts_before_its_job_counts_the_lines()
    {
        await using var world = await SampleWorld.StartAsync();
        var session = await world.CreateSessionAsync();
        await world.UploadSampleAsync(session, "native.jsonl");
        Assert.Equal(2, (await world.UploadAsync(session, Encoding.UTF8.GetBytes(Failing), "failing.jsonl")).Stored);
        var processor = world.App.Services.GetRequiredService<SessionProcessor>();
        async Task<(long Run, long Session)> TotalsAsync(long id, int run) => (
            await world.ScalarAsync<int>("SELECT total FROM session_runs WHERE session_id = $1 AND run = $2", id, run),
            await world.ScalarAsync<int>("SELECT progress_total FROM sessions WHERE id = $1", id));

        // Started as the API starts it, but not queued: what the run's start wrote is read before any job counts.
        var lines = await world.ScalarAsync<long>("SELECT count(*) FROM offline_transactions WHERE session_id = $1", session);
        var first = await processor.StartRunAsync(session, RunKind.Process, "admin@test");
        Assert.Equal((lines, lines), await TotalsAsync(session, first));
        Assert.Equal((int)lines, await processor.RunAsync(session, first, "admin@test", CancellationToken.None));

        var failed = await processor.StartRunAsync(session, RunKind.Retry, "admin@test");
        Assert.Equal((2L, 2L), await TotalsAsync(session, failed));
        Assert.Equal(2, await processor.RunAsync(session, failed, "admin@test", CancellationToken.None));

        // Another session's check-in recorded years before the first session lent its item is skipped; forced, it is
        // what a retry takes up.
        var later = await world.CreateSessionAsync();
        const string OldCheckin = """{"id":"9f3a8d85-4a6b-4cad-8e54-8b1a7f6e5d43","timestamp":1577890800,"type":"checkin","workstation":"BR1-CIRC-01","org":"BR1","barcode":"31234000012345","delta":0}""";
        Assert.Equal(1, (await world.UploadAsync(later, Encoding.UTF8.GetBytes(OldCheckin), "old.jsonl")).Stored);
        var run = await processor.StartRunAsync(later, RunKind.Process, "admin@test");
        Assert.Equal((1L, 1L), await TotalsAsync(later, run));
        Assert.Equal(1, await processor.RunAsync(later, run, "admin@test", CancellationToken.None));
        var retry = await processor.StartRunAsync(later, RunKind.Retry, "admin@test");
        Assert.Equal((0L, 0L), await TotalsAsync(later, retry));
        Assert.Equal(0, await processor.RunAsync(later, retry, "admin@test", CancellationToken.None));
        var skipped = await world.ScalarAsync<long>("SELECT id FROM offline_transactions WHERE session_id = $1", later);
        Assert.Equal("skipped", await world.ScalarAsync<string>("SELECT status FROM transaction_results WHERE transaction_id = $1 AND is_current", skipped));
        Assert.True((await processor.ForceAsync(skipped, "admin@test")).Ok);
        retry = await processor.StartRunAsync(later, RunKind.Retry, "admin@test");
        Assert.Equal((1L, 1L), await TotalsAsync(later, retry));
        Assert.Equal(1, await processor.RunAsync(later, retry, "admin@test", CancellationToken.None));
    }

    private sealed record Figures(long Transactions, long Files, Dictionary<string, long> Results);

    /// <summary>Reads the figures through the API and checks them against counts of the rows.</summary>
    private static async Task<Figures> AssertCountsAsync(SampleWorld world, long session, string when)
    {
        using var client = world.Client();
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
        var answered = new Figures(
            detail.GetProperty("transactions").GetInt64(),
            detail.GetProperty("files").GetArrayLength(),
            detail.GetProperty("results").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
        // The list of sessions gives the same two figures from the same counts.
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/sessions")).EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == session);
        Assert.Equal((answered.Transactions, answered.Files), (listed.GetProperty("transactions").GetInt64(), (long)listed.GetProperty("files").GetInt32()));

        var actual = new Dictionary<string, long>();
        await using (var cmd = world.Data.CreateCommand(
            "SELECT status, count(*) FROM transaction_results WHERE session_id = $1 AND is_current GROUP BY status"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = session });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                actual[Enum.Parse<ResultStatus>(r.GetString(0), ignoreCase: true).ToString()] = r.GetInt64(1);
            }
        }
        var transactions = await world.ScalarAsync<long>("SELECT count(*) FROM offline_transactions WHERE session_id = $1", session);
        var files = await world.ScalarAsync<long>("SELECT count(*) FROM uploaded_files WHERE session_id = $1", session);
        var counted = await world.ScalarAsync<long>("SELECT coalesce(sum(count), 0)::bigint FROM session_counts WHERE session_id = $1 AND name = 'files'", session);

        Assert.True(transactions == answered.Transactions, $"{when}: {answered.Transactions} transactions answered, {transactions} stored");
        Assert.True(files == counted, $"{when}: {counted} files counted, {files} stored");
        Assert.Equal(files, answered.Files);
        Assert.True(actual.OrderBy(x => x.Key).SequenceEqual(answered.Results.OrderBy(x => x.Key)),
            $"{when}: results answered {Show(answered.Results)}, stored {Show(actual)}");
        return answered;
    }

    /// <summary>
    /// Reads how many transactions the exceptions page says a retry takes up again, and checks it against the rows:
    /// current results that failed, or were skipped and then forced.
    /// </summary>
    private static async Task<long> AssertRetryableAsync(SampleWorld world, PortalClient portal, long session, string when)
    {
        var html = await portal.Http.GetStringAsync($"/Sessions/Exceptions/{session}");
        var said = System.Text.RegularExpressions.Regex.Match(html, @"processes the (\d+) failed and forced");
        var shown = said.Success ? long.Parse(said.Groups[1].Value)
            : html.Contains("Nothing to retry", StringComparison.Ordinal) ? 0 : throw new Xunit.Sdk.XunitException($"{when}: the page says nothing of a retry");
        var rows = await world.ScalarAsync<long>("""
            SELECT count(*) FROM transaction_results r JOIN offline_transactions t ON t.id = r.transaction_id
            WHERE r.session_id = $1 AND r.is_current AND (r.status = 'failed' OR (r.status = 'skipped' AND t.forced))
            """, session);
        Assert.True(rows == shown, $"{when}: the page says {shown} to retry, the rows {rows}");
        return rows;
    }

    private static string Show(Dictionary<string, long> counts) => string.Join(", ", counts.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value}"));
}
