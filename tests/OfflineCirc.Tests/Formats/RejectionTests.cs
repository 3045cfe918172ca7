using OfflineCirc.Core.Formats;
using static OfflineCirc.Tests.Formats.FormatTestSupport;

namespace OfflineCirc.Tests.Formats;

public class RejectionTests
{
    private const string Ts = "\"timestamp\":1772719331";

    [Theory]
    [InlineData("{\"id\":\"not-a-uuid\"," + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\"}", "invalid id (not a UUID)")]
    [InlineData("{\"id\":42," + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\"}", "invalid id (not a UUID)")]
    [InlineData("{" + Ts + ",\"type\":\"chekout\",\"patron_barcode\":\"212\",\"barcode\":\"312\"}", "unknown type 'chekout'")]
    [InlineData("{" + Ts + ",\"barcode\":\"312\"}", "missing type")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"barcode\":\"312\"}", "checkout without patron_barcode")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"  \"}", "checkout without barcode or noncat_type")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"312\",\"noncat_type\":\"Paperback\"}", "checkout with both barcode and noncat_type")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"noncat_type\":\"Paperback\",\"noncat_count\":250}", "noncat_count must be 1-100")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"noncat_type\":\"Paperback\",\"noncat_count\":\"two\"}", "noncat_count must be 1-100")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"312\",\"checkout_time\":\"2026-03-05 09:02:11\",\"due_date\":\"2026-03-04\"}", "due_date before checkout_time")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"312\",\"due_date\":\"2026-03-01\"}", "due_date before timestamp")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"312\",\"due_date\":\"2026-02-30\"}", "due_date is not a date")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"312\",\"checkout_time\":\"noon\"}", "checkout_time is not a date")]
    [InlineData("{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"312\"", "not valid JSON")]
    [InlineData("checkout 212 312", "not valid JSON")]
    [InlineData("[\"checkin\",\"312\"]", "not a JSON object (each line must be one transaction written as { ... })")]
    [InlineData("\"checkin\"", "not a JSON object (each line must be one transaction written as { ... })")]
    [InlineData("{\"type\":\"checkin\",\"barcode\":\"312\"}", "missing timestamp")]
    [InlineData("{\"timestamp\":\"yesterday\",\"type\":\"checkin\",\"barcode\":\"312\"}", "timestamp is not a date")]
    [InlineData("{\"timestamp\":99999999999999,\"type\":\"checkin\",\"barcode\":\"312\"}", "timestamp is not a date")]
    [InlineData("{" + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\",\"delta\":\"soon\"}", "delta is not a number of seconds")]
    [InlineData("{" + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\",\"delta\":99999999}", "delta is more than a year")]
    [InlineData("{" + Ts + ",\"type\":\"checkin\"}", "checkin without barcode")]
    [InlineData("{" + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\",\"backdate\":\"last tuesday\"}", "backdate is not a date")]
    [InlineData("{" + Ts + ",\"type\":\"renew\",\"patron_barcode\":\"212\"}", "renew without barcode")]
    [InlineData("{" + Ts + ",\"type\":\"renew\",\"noncat_type\":\"Paperback\"}", "renew of a non-catalogued item (renew needs a barcode)")]
    [InlineData("{" + Ts + ",\"type\":\"in_house_use\",\"count\":2}", "in_house_use without barcode")]
    [InlineData("{" + Ts + ",\"type\":\"in_house_use\",\"barcode\":\"312\",\"count\":0}", "count must be 1-100")]
    [InlineData("{" + Ts + ",\"type\":\"in_house_use\",\"barcode\":\"312\",\"count\":101}", "count must be 1-100")]
    [InlineData("{" + Ts + ",\"type\":\"in_house_use\",\"barcode\":\"312\",\"count\":2.5}", "count must be 1-100")]
    [InlineData("{" + Ts + ",\"type\":\"in_house_use\",\"barcode\":\"312\",\"use_time\":\"2026-13-01\"}", "use_time is not a date")]
    [InlineData("{" + Ts + ",\"type\":\"register\"}", "register without user")]
    [InlineData("{" + Ts + ",\"type\":\"register\",\"user\":\"Luc Roy\"}", "user must be an object")]
    [InlineData("{" + Ts + ",\"type\":\"register\",\"user\":{\"family_name\":\"Roy\",\"first_given_name\":\"Luc\",\"profile\":\"Adult\",\"home_ou\":\"BR1\"}}", "register without user.card")]
    [InlineData("{" + Ts + ",\"type\":\"register\",\"user\":{\"card\":{\"barcode\":\"\"},\"family_name\":\"Roy\",\"first_given_name\":\"Luc\",\"profile\":\"Adult\",\"home_ou\":\"BR1\"}}", "register without user.card")]
    [InlineData("{" + Ts + ",\"type\":\"register\",\"user\":{\"card\":\"2129\"}}", "register without user.family_name; register without user.first_given_name; register without user.profile; register without user.home_ou")]
    [InlineData("{" + Ts + ",\"type\":\"register\",\"user\":{\"card\":\"2129\",\"family_name\":\"Roy\",\"first_given_name\":\"Luc\",\"profile\":\"Adult\",\"home_ou\":\"BR1\",\"dob\":\"14/07/1991\"}}", "user.dob is not a date")]
    [InlineData("{" + Ts + ",\"type\":\"payment\",\"amount\":2}", "payment without patron_barcode")]
    [InlineData("{" + Ts + ",\"type\":\"payment\",\"patron_barcode\":\"212\"}", "payment without amount")]
    [InlineData("{" + Ts + ",\"type\":\"payment\",\"patron_barcode\":\"212\",\"amount\":\"lots\"}", "payment amount is not a number")]
    [InlineData("{" + Ts + ",\"type\":\"payment\",\"patron_barcode\":\"212\",\"amount\":0}", "payment amount must be more than 0")]
    [InlineData("{" + Ts + ",\"type\":\"payment\",\"patron_barcode\":\"212\",\"amount\":5000000}", "payment amount is too large")]
    [InlineData("{" + Ts + ",\"type\":\"payment\",\"patron_barcode\":\"212\",\"amount\":\"2.505\"}", "payment amount has more than 2 decimals")]
    [InlineData("{" + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\",\"barcode\":\"313\"}", "field 'barcode' given twice")]
    [InlineData("{" + Ts + ",\"type\":\"checkin\",\"barcode\":[\"312\"]}", "barcode must be text or a number; checkin without barcode")]
    [InlineData("{\"type\":\"checkout\"}", "missing timestamp; checkout without barcode or noncat_type; checkout without patron_barcode")]
    [InlineData("{\"id\":\"x\",\"type\":\"chekout\"}", "unknown type 'chekout'; invalid id (not a UUID); missing timestamp")]
    public void Line_is_rejected_with_every_reason(string line, string reason)
    {
        Assert.Equal(reason, ReasonFor(line));
    }

    [Fact]
    public void Line_without_any_workstation_is_rejected()
    {
        Assert.Equal(
            "no workstation (the line names none and none was given with the upload)",
            ReasonFor("{" + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\"}", new UploadContext(" ")));
    }

    [Fact]
    public void Rejected_line_keeps_its_number_and_at_most_500_characters()
    {
        var line = "{\"type\":\"checkin\",\"barcode\":\"" + new string('9', 900) + "\"}";
        var outcome = Assert.IsType<LineOutcome.Rejected>(TransactionParser.ParseJsonLine(line, 17, Upload()));

        Assert.Equal(17, outcome.LineNumber);
        Assert.Equal(500, outcome.RawText.Length);
        Assert.Equal(line[..500], outcome.RawText);
    }

    [Fact]
    public void Unknown_type_in_the_reason_is_clipped()
    {
        var reason = ReasonFor("{" + Ts + ",\"type\":\"" + new string('x', 300) + "\"}");

        Assert.True(reason.Length < 80, reason);
    }

    [Fact]
    public void Valid_lines_of_each_type_parse()
    {
        string[] lines =
        [
            "{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"barcode\":\"312\"}",
            "{" + Ts + ",\"type\":\"checkout\",\"patron_barcode\":\"212\",\"noncat_type\":\"Paperback\"}",
            "{" + Ts + ",\"type\":\"renew\",\"barcode\":\"312\"}",
            "{" + Ts + ",\"type\":\"checkin\",\"barcode\":312}",
            "{" + Ts + ",\"type\":\"in_house_use\",\"barcode\":\"312\"}",
            "{" + Ts + ",\"type\":\"payment\",\"patron_barcode\":\"212\",\"amount\":\"2,50\"}",
            "{" + Ts + ",\"type\":\"CheckIn\",\"barcode\":\"312\",\"extra\":{\"note\":\"kept in payload\"}}",
        ];
        var parsed = lines.Select(l => Assert.IsType<LineOutcome.Parsed>(TransactionParser.ParseJsonLine(l, 1, Upload())).Transaction).ToList();

        Assert.Equal(1, parsed[1].NoncatCount);
        Assert.Equal("312", parsed[3].ItemBarcode);
        Assert.Equal(1, parsed[4].Count);
        Assert.Equal(2.50m, parsed[5].Amount);
        Assert.Equal(TransactionTypes.Checkin, parsed[6].Type);
        Assert.Contains("kept in payload", parsed[6].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_transactions_parse_through_the_same_rules()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(
            "{\"transactions\":[{\"id\":\"3f2b8c1e-6a4d-4e2f-9b7a-1c5d8e9f0a12\"," + Ts + ",\"type\":\"checkin\",\"barcode\":\"312\"},{\"type\":\"checkin\"}]}");
        var items = doc.RootElement.GetProperty("transactions").EnumerateArray().ToList();

        Assert.IsType<LineOutcome.Parsed>(TransactionParser.ParseJson(items[0], 1, Upload()));
        var rejected = Assert.IsType<LineOutcome.Rejected>(TransactionParser.ParseJson(items[1], 2, Upload()));
        Assert.Equal("missing timestamp; checkin without barcode", rejected.Reason);
    }
}
