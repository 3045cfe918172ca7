using System.Text;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Processing;

/// <summary>The first import of a catalogue and where results are placed, end to end through the API and the job.</summary>
public class ImportedItemAndPlacementTests
{
    private const string Checkout =
        """{"id":"6a0c3a7e-54b1-4a8e-9d61-0f4b2c9e7a11","timestamp":1772719331,"type":"checkout","workstation":"BR1-CIRC-01","org":"BR1","patron_barcode":"21234000001234","barcode":"IMPORTED-1","checkout_time":"2026-03-05T09:02:11-05:00"}""";

    [Fact]
    public async Task Outage_recorded_before_the_first_import_of_an_item_without_a_change_time_is_applied_not_skipped()
    {
        await using var world = await SampleWorld.StartAsync();
        using (var client = world.Client())
        {
            var import = await client.PostAsync("/api/import/items", new StringContent(
                "barcode,record_id,owning_org,location,circ_modifier,status,price,alert_message,holdable,status_changed_at\n" +
                "IMPORTED-1,1,BR1,Stacks,book,available,,,true,\n", Encoding.UTF8, "text/csv"));
            Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        }
        Assert.Null(await world.ScalarAsync<DateTime?>("SELECT status_changed_at FROM items WHERE barcode = 'IMPORTED-1'"));

        var session = await world.CreateSessionAsync();
        await world.UploadAsync(session, Encoding.UTF8.GetBytes(Checkout), "pending.jsonl");
        await world.ProcessAsync(session);

        var (status, codes, message) = Assert.Single(await world.ResultsAsync(session)).Value;
        Assert.True(status == ResultStatus.Warning && codes == ResultCodes.DueDateInPast, $"{status} [{codes}] {message}");
        Assert.Equal("checked_out", await world.ScalarAsync<string>("SELECT status FROM items WHERE barcode = 'IMPORTED-1'"));
    }

    [Fact]
    public async Task Results_csv_gives_the_session_org_of_a_transaction_the_replay_placed_there()
    {
        await using var world = await SampleWorld.StartAsync();
        var session = await world.CreateSessionAsync("SYS1");
        // The line names its own workstation and no org; that workstation is retired before the session is processed.
        var line = Checkout.Replace("\"workstation\":\"BR1-CIRC-01\",\"org\":\"BR1\"", "\"workstation\":\"BR1-LAPTOP-7\"", StringComparison.Ordinal)
            .Replace("IMPORTED-1", "31234000012345", StringComparison.Ordinal);
        await world.UploadAsync(session, Encoding.UTF8.GetBytes(line), "pending.jsonl");
        await world.ExecAsync("DELETE FROM workstations WHERE name = 'BR1-LAPTOP-7'");
        await world.ProcessAsync(session);

        Assert.Equal("SYS1", await world.ScalarAsync<string>(
            "SELECT o.short_name FROM circulations c JOIN org_units o ON o.id = c.checkout_org_id WHERE c.origin_session_id = $1", session));
        using var client = world.Client();
        var csv = await client.GetStringAsync($"/api/sessions/{session}/results.csv");
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = rows[0].Split(',');
        var cells = rows[1].Split(',');
        Assert.Equal("BR1-LAPTOP-7", cells[Array.IndexOf(header, "workstation")]);
        Assert.Equal("SYS1", cells[Array.IndexOf(header, "org")]);
    }
}
