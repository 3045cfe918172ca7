using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Processing;

/// <summary>
/// Every sample file goes in through the real upload endpoint and is replayed by the real job; each transaction's
/// result and its effects are checked. The due dates of the samples are in March 2026, before any processing time,
/// so every loan also carries DUE_DATE_IN_PAST.
/// </summary>
public class SampleEndToEndTests
{
    private const string Past = ResultCodes.DueDateInPast;

    /// <summary>Every file in the Samples folder is covered here; a new sample needs its expectations.</summary>
    [Fact]
    public void Every_sample_file_has_an_end_to_end_case()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples")).Select(Path.GetFileName).Order();
        Assert.Equal(files, Expected.Keys.Order());
    }

    public static TheoryData<string> Samples => new(Expected.Keys);

    /// <summary>Line number, status, codes (sorted, comma-separated).</summary>
    private static readonly Dictionary<string, (int Line, ResultStatus Status, string Codes)[]> Expected = new()
    {
        ["evergreen-legacy.pending_xacts"] =
        [
            (1, ResultStatus.Warning, Past),
            (2, ResultStatus.Warning, Past),
            (3, ResultStatus.Applied, ""),
            (4, ResultStatus.Applied, ""),
        ],
        ["evergreen-web.pending.xacts"] =
        [
            (1, ResultStatus.Warning, Past),
            (2, ResultStatus.Warning, $"{ResultCodes.NoChange},{ResultCodes.RouteItem}"),
            (3, ResultStatus.Applied, ""),
            (4, ResultStatus.Warning, Past),
            (5, ResultStatus.Warning, Past),
            (6, ResultStatus.Applied, ""),
        ],
        ["native.jsonl"] =
        [
            (1, ResultStatus.Warning, Past),
            (2, ResultStatus.Warning, Past),
            (3, ResultStatus.Warning, Past),
            (5, ResultStatus.Applied, ""),
            (6, ResultStatus.Applied, ""),
            (7, ResultStatus.Applied, ""),
            // The patron registered on line 7 carries the standing block every new patron gets.
            (8, ResultStatus.Warning, $"{Past},{ResultCodes.PatronBlocked}"),
        ],
        ["mixed.jsonl"] =
        [
            (1, ResultStatus.Warning, Past),
            (2, ResultStatus.Warning, $"{ResultCodes.NoChange},{ResultCodes.RouteItem}"),
        ],
        ["koha.koc"] =
        [
            (2, ResultStatus.Warning, Past),
            (3, ResultStatus.Applied, ""),
            (4, ResultStatus.Applied, ""),
            (5, ResultStatus.Warning, Past),
        ],
        ["koha-version2.koc"] = [(2, ResultStatus.Warning, Past)],
        ["koha-rejects.koc"] = [],
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_file_uploaded_and_processed_gets_its_results_and_effects(string sample)
    {
        await using var world = await SampleWorld.StartAsync();
        var session = await world.CreateSessionAsync();
        var upload = await world.UploadSampleAsync(session, sample, sample.StartsWith("evergreen-web", StringComparison.Ordinal) ? "BR1-CIRC-02" : "BR1-CIRC-01");
        var expected = Expected[sample];
        Assert.Equal(expected.Length, upload.Stored);
        Assert.Equal(0, upload.Duplicates);

        await world.ProcessAsync(session);

        var results = await world.ResultsAsync(session);
        Assert.Equal(expected.Select(e => e.Line).Order(), results.Keys.Order());
        foreach (var (line, status, codes) in expected)
        {
            var actual = results[line];
            Assert.True(status == actual.Status && codes == actual.Codes,
                $"{sample} line {line}: expected {status} [{codes}], got {actual.Status} [{actual.Codes}] {actual.Message}");
        }
        await EffectsAsync(world, sample, upload);
    }

    private static async Task EffectsAsync(SampleWorld w, string sample, Sessions.UploadAnswer upload)
    {
        switch (sample)
        {
            case "evergreen-legacy.pending_xacts":
                Assert.Equal("checked_out", await w.ScalarAsync<string>("SELECT status FROM items WHERE barcode = '33000000456'"));
                // Captured due date 2026-03-19: the end of that day in Toronto.
                Assert.Equal(new DateTime(2026, 3, 20, 3, 59, 59, DateTimeKind.Utc), await w.ScalarAsync<DateTime>(
                    "SELECT c.due_time FROM circulations c JOIN items i ON i.id = c.item_id WHERE i.barcode = '33000000456'"));
                Assert.Equal(1, await w.ScalarAsync<int>("SELECT count FROM noncat_circulations WHERE noncat_type_id = 5"));
                // Backdated to 5 March: the loan due 1 March closes then, four days overdue at 0.25 a day.
                Assert.Equal(1.00m, await w.ScalarAsync<decimal>("SELECT sum(amount) FROM billings WHERE origin_session_id IS NOT NULL"));
                Assert.Equal(2, await w.ScalarAsync<int>("SELECT sum(count)::int FROM in_house_uses"));
                break;
            case "evergreen-web.pending.xacts":
                // The registration whose card is an object: a patron with that card, the standing block, the address.
                Assert.Equal("Nguyen", await w.ScalarAsync<string>(
                    "SELECT p.family_name FROM patrons p JOIN cards c ON c.patron_id = p.id WHERE c.barcode = '21234000007777'"));
                Assert.Equal("88 King St E, Toronto, ON, M5C 1G3, CA", await w.ScalarAsync<string>(
                    "SELECT p.address FROM patrons p JOIN cards c ON c.patron_id = p.id WHERE c.barcode = '21234000007777'"));
                Assert.Equal(2, await w.ScalarAsync<int>(
                    "SELECT p.profile_id FROM patrons p JOIN cards c ON c.patron_id = p.id WHERE c.barcode = '21234000007777'"));
                Assert.Equal(1L, await w.ScalarAsync<long>(
                    "SELECT count(*) FROM patron_blocks b JOIN cards c ON c.patron_id = b.patron_id WHERE c.barcode = '21234000007777'"));
                Assert.Equal("BR2", await w.ScalarAsync<string>(
                    "SELECT o.short_name FROM transits t JOIN items i ON i.id = t.item_id JOIN org_units o ON o.id = t.to_org_id WHERE i.barcode = '31234000067890'"));
                Assert.Equal(1, await w.ScalarAsync<int>(
                    "SELECT c.renewal_count FROM circulations c JOIN items i ON i.id = c.item_id WHERE i.barcode = '31234000089012'"));
                Assert.Equal(2, await w.ScalarAsync<int>("SELECT count FROM noncat_circulations WHERE noncat_type_id = 3"));
                break;
            case "native.jsonl":
                Assert.Equal("etremblay", await w.ScalarAsync<string>(
                    "SELECT p.username FROM patrons p JOIN cards c ON c.patron_id = p.id WHERE c.barcode = '21234000009999'"));
                Assert.Equal("checked_out", await w.ScalarAsync<string>("SELECT status FROM items WHERE barcode = '31234000056780'"));
                Assert.Equal("available", await w.ScalarAsync<string>("SELECT status FROM items WHERE barcode = '31234000034567'"));
                Assert.Equal(0L, await w.ScalarAsync<long>("SELECT count(*) FROM billings WHERE origin_session_id IS NOT NULL"));
                Assert.Equal(2, await w.ScalarAsync<int>("SELECT count FROM noncat_circulations WHERE noncat_type_id = 7"));
                Assert.Equal(3, await w.ScalarAsync<int>("SELECT sum(count)::int FROM in_house_uses"));
                Assert.Equal(1, await w.ScalarAsync<int>(
                    "SELECT c.renewal_count FROM circulations c JOIN items i ON i.id = c.item_id WHERE i.barcode = '31234000023456'"));
                // The registration is the parse intake stored, not the line read again.
                Assert.Equal("21234000009999", await w.ScalarAsync<string>("SELECT parsed->>'card' FROM offline_transactions WHERE type = 'register'"));
                break;
            case "mixed.jsonl":
                Assert.Equal("in_transit", await w.ScalarAsync<string>("SELECT status FROM items WHERE barcode = '31234000067890'"));
                break;
            case "koha.koc":
                Assert.Equal(2.50m, await w.ScalarAsync<decimal>(
                    "SELECT b.amount_paid FROM billings b JOIN cards c ON c.patron_id = b.patron_id WHERE c.barcode = '21234000001234'"));
                Assert.Equal(2.50m, await w.ScalarAsync<decimal>("SELECT sum(amount) FROM payments"));
                Assert.Equal("available", await w.ScalarAsync<string>("SELECT status FROM items WHERE barcode = '31234000034567'"));
                Assert.Equal(2L, await w.ScalarAsync<long>("SELECT count(*) FROM circulations WHERE origin_session_id IS NOT NULL"));
                break;
            case "koha-version2.koc":
                Assert.NotNull(upload.Warning);
                Assert.Equal("checked_out", await w.ScalarAsync<string>("SELECT status FROM items WHERE barcode = '31234000012345'"));
                break;
            case "koha-rejects.koc":
                Assert.Equal(8, upload.Rejected);
                Assert.Equal(0L, await w.ScalarAsync<long>("SELECT count(*) FROM transaction_results"));
                break;
        }
    }
}
