namespace OfflineCirc.Tests.Processing;

/// <summary>
/// A run started right after an upload analyzes the tables whose statistics lag their contents, so its batch
/// statements are not planned for empty tables (docs/adr-018).
/// </summary>
public class StatisticsTests
{
    [Fact]
    public async Task A_run_analyzes_the_lines_uploaded_since_their_table_was_last_analyzed()
    {
        await using var world = await SampleWorld.StartAsync();
        var session = await world.CreateSessionAsync();
        await world.UploadSampleAsync(session, "native.jsonl");
        const string Analyzed = "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'offline_transactions'";
        Assert.False(await world.ScalarAsync<bool>(Analyzed));

        await world.ProcessAsync(session);

        Assert.True(await world.ScalarAsync<bool>(Analyzed));
        // What the analysis saw is what the planner now assumes: the table's pages as they were at the run's start.
        Assert.True(await world.ScalarAsync<bool>(
            "SELECT relpages > 0 FROM pg_class WHERE oid = 'offline_transactions'::regclass"));
        // The columns the run's list is planned on, the session's above all, have statistics.
        Assert.True(await world.ScalarAsync<bool>(
            "SELECT count(*) = 3 FROM pg_stats WHERE tablename = 'offline_transactions' AND attname IN ('id', 'session_id', 'type')"));
    }
}
