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
        // Analyzed once: the statistics now match, so a second run leaves them as they are.
        var first = await world.ScalarAsync<DateTime>("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'offline_transactions'");
        await world.RunAsync(session, "retry");
        Assert.Equal(first, await world.ScalarAsync<DateTime>("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'offline_transactions'"));
    }
}
