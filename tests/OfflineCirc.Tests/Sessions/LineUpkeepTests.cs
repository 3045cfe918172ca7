using System.Net;
using Npgsql;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Tests.Sessions;

/// <summary>
/// The uploaded lines are vacuumed and analyzed by the node once uploads pause, when autovacuum would come to them,
/// so a replay started just after an upload does not share the cores with autovacuum (docs/adr-027).
/// </summary>
public class LineUpkeepTests
{
    private sealed record Upkeep(long Vacuums, long Analyses, long InsertedSinceVacuum, long ChangedSinceAnalysis);

    private static async Task<Upkeep> ReadAsync(IntakeApp app)
    {
        await using var conn = new NpgsqlConnection(app.Database.ConnectionString);
        await conn.OpenAsync();
        await using var read = new NpgsqlCommand(
            "SELECT vacuum_count, analyze_count, n_ins_since_vacuum, n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'offline_transactions'", conn);
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private static async Task<Upkeep> WaitForVacuumAsync(IntakeApp app)
    {
        await MultiNode.Nodes.WaitUntilAsync(async () => (await ReadAsync(app)).Vacuums > 0, TimeSpan.FromSeconds(30), "the node vacuumed the lines");
        return await ReadAsync(app);
    }

    private static string Lines(int count, int from) => string.Join("\n", Enumerable.Range(from, count).Select(i =>
        $$"""{"id":"{{Guid.NewGuid()}}","timestamp":{{1772701200 + i}},"type":"in_house_use","workstation":"BR1-CIRC-01","org":"BR1","barcode":"31234{{i:D9}}","count":1}"""));

    private static async Task UploadAsync(IntakeApp app, long session, int count, int from)
    {
        var response = await app.UploadAsync(session, Lines(count, from));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A node over a database of its own, and a session given two files of lines one after the other.</summary>
    private static async Task<(IntakeApp App, long Session)> TwoFilesAsync(int each)
    {
        var app = new IntakeApp();
        await app.InitializeAsync();
        var session = await app.CreateSessionAsync();
        await UploadAsync(app, session, each, 0);
        await UploadAsync(app, session, each, each);
        return (app, session);
    }

    [Fact]
    public async Task Lines_past_autovacuums_thresholds_are_vacuumed_and_analyzed_once_after_a_burst_of_uploads_and_fewer_are_left_alone()
    {
        // Two files one after the other, together past autovacuum's base of 1,000 inserted rows on an empty table.
        var (app, session) = await TwoFilesAsync(700);
        await using var node = app;
        var after = await WaitForVacuumAsync(app);
        Assert.Equal((1, 0, 0), (after.Vacuums, after.InsertedSinceVacuum, after.ChangedSinceAnalysis));
        Assert.InRange(after.Analyses, 1, 2); // once, unless a stalled machine paused between the two files

        // A few lines more are under the thresholds: nothing is done once the uploads pause.
        await UploadAsync(app, session, 10, 1400);
        await Task.Delay(LineUpkeep.Pause * 2);
        Assert.Equal(after with { InsertedSinceVacuum = 10, ChangedSinceAnalysis = 10 }, await ReadAsync(app));
    }

    [Fact]
    public async Task A_node_stopped_just_after_an_upload_looks_after_the_lines_before_it_stops()
    {
        var (app, _) = await TwoFilesAsync(600);
        await using var node = app;

        // Stopped at once, inside the pause the node waits for.
        await app.App.DisposeAsync();
        Assert.Equal(new Upkeep(1, 1, 0, 0), await ReadAsync(app));
    }
}
