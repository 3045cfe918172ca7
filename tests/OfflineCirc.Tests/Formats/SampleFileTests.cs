using OfflineCirc.Core.Formats;
using static OfflineCirc.Tests.Formats.FormatTestSupport;

namespace OfflineCirc.Tests.Formats;

public class SampleFileTests
{
    [Fact]
    public async Task Native_file_is_detected_and_every_field_is_read()
    {
        var (reader, outcomes) = await ReadSample("native.jsonl", Upload("BR1-CIRC-01"));

        Assert.Equal(FileFormat.Native, reader.Format);
        Assert.Equal("native", reader.Format.ToCode());
        Assert.Null(reader.Warning);
        Assert.Equal(7, reader.LinesRead);
        var all = outcomes.Parsed();
        Assert.Equal([1, 2, 3, 5, 6, 7, 8], all.Select(t => t.LineNumber));
        Assert.All(all, t => Assert.True(t.HasClientId));

        var checkout = all[0];
        Assert.Equal("3f2b8c1e-6a4d-4e2f-9b7a-1c5d8e9f0a12", checkout.Key);
        Assert.Equal(TransactionTypes.Checkout, checkout.Type);
        Assert.Equal("BR1-CIRC-01", checkout.Workstation);
        Assert.Equal("BR1", checkout.Org);
        Assert.Equal(Utc("2026-03-05T14:02:11Z"), checkout.RecordedAt);
        Assert.Equal(Utc("2026-03-05T14:02:11Z"), checkout.EffectiveAt);
        Assert.Equal("21234000001234", checkout.PatronBarcode);
        Assert.Equal("31234000012345", checkout.ItemBarcode);
        Assert.Equal("2026-03-19", checkout.DueDate);
        Assert.Equal(TimeSpan.Zero, checkout.RecordedAt.Offset);
        Assert.StartsWith("{\"id\":\"3f2b8c1e", checkout.Payload, StringComparison.Ordinal);

        var noncat = all[1];
        Assert.Equal("8a1e4d2c-0b7f-4c3a-a5e6-2f9d1b7c3e40", noncat.Key);
        Assert.Equal("Paperback", noncat.NoncatType);
        Assert.Equal(2, noncat.NoncatCount);
        Assert.Null(noncat.ItemBarcode);

        Assert.Equal(TransactionTypes.Renew, all[2].Type);
        Assert.Equal("2026-03-26", all[2].DueDate);

        var checkin = all[3];
        Assert.Equal(Utc("2026-03-04T05:00:00Z"), checkin.Backdate);
        Assert.Equal(checkin.Backdate, checkin.EffectiveAt);

        var inHouse = all[4];
        Assert.Equal(3, inHouse.Count);
        Assert.Equal(Utc("2026-03-05T14:12:30Z"), inHouse.UseTime);
        Assert.Equal(Utc("2026-03-05T14:12:30Z"), inHouse.RecordedAt);

        var register = all[5];
        Assert.Equal(TransactionTypes.Register, register.Type);
        Assert.NotNull(register.Patron);
        Assert.Equal("21234000009999", register.Patron.Card);
        Assert.Equal("Élodie", register.Patron.FirstGivenName);
        Assert.Equal("Tremblay", register.Patron.FamilyName);
        Assert.Equal("Adult", register.Patron.Profile);
        Assert.Equal("BR1", register.Patron.HomeOu);
        Assert.Equal("etremblay", register.Patron.Usrname);
        Assert.Contains("\"street1\":\"12 Queen St W\"", register.Payload, StringComparison.Ordinal);
        Assert.Contains("Élodie", register.Payload, StringComparison.Ordinal);

        var corrected = all[6];
        Assert.Equal(30, corrected.DeltaSeconds);
        Assert.Equal(Utc("2026-03-05T14:21:00Z"), corrected.RecordedAt);
        Assert.Equal(Utc("2026-03-05T14:20:30Z"), corrected.EffectiveAt);
    }

    [Fact]
    public async Task Evergreen_web_file_takes_the_upload_workstation_and_hashes_its_key()
    {
        var (reader, outcomes) = await ReadSample("evergreen-web.pending.xacts", Upload("BR1-CIRC-02", delta: 60));

        Assert.Equal(FileFormat.EvergreenWeb, reader.Format);
        var all = outcomes.Parsed();
        Assert.Equal(6, all.Count);
        Assert.All(all, t =>
        {
            Assert.False(t.HasClientId);
            Assert.Matches("^[0-9a-f]{64}$", t.Key);
            Assert.Equal("BR1-CIRC-02", t.Workstation);
            Assert.Null(t.Org);
            Assert.Equal(60, t.DeltaSeconds);
        });
        Assert.Equal(Utc("2026-03-05T15:02:09Z"), all[0].RecordedAt);
        Assert.Equal(Utc("2026-03-05T15:01:09.412Z"), all[0].CheckoutTime);
        Assert.Equal(all[0].CheckoutTime, all[0].EffectiveAt);
        Assert.Equal("2026-03-19T04:00:00.000Z", all[0].DueDate);
        Assert.Equal(Utc("2026-03-05T15:03:44.101Z"), all[1].EffectiveAt);
        Assert.Equal(1, all[2].Count);
        Assert.Equal("3", all[4].NoncatType);
        Assert.Equal(2, all[4].NoncatCount);
        Assert.Equal("21234000007777", all[5].Patron!.Card);
        Assert.Equal("2", all[5].Patron!.Profile);
        Assert.Equal("4", all[5].Patron!.HomeOu);
    }

    [Fact]
    public async Task Evergreen_legacy_file_reads_unpadded_local_times_in_the_workstation_zone()
    {
        var (reader, outcomes) = await ReadSample("evergreen-legacy.pending_xacts", Upload("PAR-CIRC-01"));

        Assert.Equal(FileFormat.EvergreenLegacy, reader.Format);
        var all = outcomes.Parsed();
        Assert.Equal(4, all.Count);
        // Paris is UTC+1 in March: "2026-3-5 15:2:11" local is 14:02:11 UTC, the same moment as the epoch timestamp.
        Assert.Equal(Utc("2026-03-05T14:02:11Z"), all[0].CheckoutTime);
        Assert.Equal(all[0].RecordedAt, all[0].CheckoutTime);
        Assert.Equal(Utc("2026-03-05T14:05:40Z"), all[1].RecordedAt);
        Assert.Equal("5", all[1].NoncatType);
        Assert.Equal(Utc("2026-03-04T23:00:00Z"), all[2].Backdate);
        Assert.Equal(2, all[3].Count);
        Assert.Equal(-12, all[3].DeltaSeconds);
        Assert.Equal(Utc("2026-03-05T14:12:18Z"), all[3].RecordedAt);
        Assert.Equal(Utc("2026-03-05T14:12:30Z"), all[3].EffectiveAt);
    }

    [Fact]
    public async Task Native_and_Evergreen_lines_mix_in_one_file()
    {
        var (reader, outcomes) = await ReadSample("mixed.jsonl", Upload("BR1-CIRC-02"));

        Assert.Equal(FileFormat.Mixed, reader.Format);
        var all = outcomes.Parsed();
        Assert.True(all[0].HasClientId);
        Assert.Equal("BR1-CIRC-01", all[0].Workstation);
        Assert.False(all[1].HasClientId);
        Assert.Equal("BR1-CIRC-02", all[1].Workstation);
    }

    [Fact]
    public async Task Koha_file_maps_issue_return_and_payment_with_both_time_forms()
    {
        var (reader, outcomes) = await ReadSample("koha.koc", Upload("BR1-CIRC-01"));

        Assert.Equal(FileFormat.Koha, reader.Format);
        Assert.Null(reader.Warning);
        Assert.Equal(4, reader.LinesRead);
        var all = outcomes.Parsed();
        Assert.Equal([2, 3, 4, 5], all.Select(t => t.LineNumber));

        Assert.Equal(TransactionTypes.Checkout, all[0].Type);
        Assert.Equal("21234000001234", all[0].PatronBarcode);
        Assert.Equal("31234000012345", all[0].ItemBarcode);
        Assert.Null(all[0].DueDate);
        Assert.Equal(Utc("2026-03-05T14:12:31.482Z"), all[0].RecordedAt);
        Assert.Equal(all[0].RecordedAt, all[0].EffectiveAt);
        Assert.Equal(
            "{\"source\":\"koha\",\"command\":\"issue\",\"type\":\"checkout\",\"timestamp\":\"2026-03-05 09:12:31 482\","
            + "\"patron_barcode\":\"21234000001234\",\"barcode\":\"31234000012345\"}",
            all[0].Payload);

        Assert.Equal(TransactionTypes.Checkin, all[1].Type);
        Assert.Equal("31234000034567", all[1].ItemBarcode);
        Assert.Equal(Utc("2026-03-05T14:14:02.017Z"), all[1].EffectiveAt);

        Assert.Equal(TransactionTypes.Payment, all[2].Type);
        Assert.Equal(2.50m, all[2].Amount);
        Assert.Equal(Utc("2026-03-05T14:20:00.250Z"), all[2].RecordedAt);

        Assert.Equal(Utc("2026-03-05T14:21:45Z"), all[3].RecordedAt);
        Assert.All(all, t => Assert.Matches("^[0-9a-f]{64}$", t.Key));
        Assert.Equal(4, all.Select(t => t.Key).Distinct().Count());
    }

    [Fact]
    public async Task Koha_file_of_another_version_is_read_with_a_warning()
    {
        var (reader, outcomes) = await ReadSample("koha-version2.koc");

        Assert.Equal(FileFormat.Koha, reader.Format);
        Assert.Equal("The Koha file says it is version 2.0; it was read as version 1.0, the only version known.", reader.Warning);
        Assert.Single(outcomes.Parsed());
    }

    [Fact]
    public async Task Koha_lines_without_a_header_are_still_recognised()
    {
        var (reader, outcomes) = await ReadAll(Text("2026-03-05 09:12:31 482\treturn\t31234000034567\n"), Upload());

        Assert.Equal(FileFormat.Koha, reader.Format);
        Assert.Equal("The Koha file has no header line; it was read as version 1.0.", reader.Warning);
        Assert.Single(outcomes.Parsed());
    }

    [Fact]
    public async Task Koha_rejections_name_the_problem_in_plain_words()
    {
        var (reader, outcomes) = await ReadSample("koha-rejects.koc");

        Assert.Equal(8, reader.LinesRead);
        var reasons = outcomes.Select(o => (o.LineNumber, Assert.IsType<LineOutcome.Rejected>(o).Reason)).ToList();
        Assert.Equal(
            [
                (2, "unknown Koha command 'renew' (expected issue, return or payment)"),
                (3, "checkout without barcode or noncat_type"),
                (4, "timestamp is not a date"),
                (5, "missing timestamp"),
                (6, "payment amount must be more than 0"),
                (7, "payment amount is not a number"),
                (8, Reasons.NotKohaLine),
                (9, "checkout without patron_barcode"),
            ],
            reasons);
    }
}
