using OfflineCirc.Core.Formats;
using static OfflineCirc.Tests.Formats.FormatTestSupport;

namespace OfflineCirc.Tests.Formats;

public class TransactionKeyTests
{
    private const string Line =
        "{\"timestamp\":1772722869,\"type\":\"checkout\",\"delta\":0,\"patron_barcode\":\"21234000001234\",\"barcode\":\"31234000056789\",\"due_date\":\"2026-03-19T04:00:00.000Z\"}";

    private const string SameLineReordered =
        "{ \"barcode\" : \"31234000056789\",\n \"type\":\"checkout\", \"due_date\":\"2026-03-19T04:00:00.000Z\",\"delta\":0,\t\"patron_barcode\":\"21234000001234\", \"timestamp\":1772722869 }";

    private static string KeyOf(string line, UploadContext context) =>
        Assert.IsType<LineOutcome.Parsed>(TransactionParser.ParseJsonLine(line, 1, context)).Transaction.Key;

    [Fact]
    public void Same_Evergreen_line_uploaded_twice_gets_the_same_key()
    {
        Assert.Equal(KeyOf(Line, Upload("BR1-CIRC-02")), KeyOf(Line, Upload("BR1-CIRC-02")));
    }

    [Fact]
    public void Key_ignores_key_order_and_whitespace()
    {
        Assert.Equal(KeyOf(Line, Upload()), KeyOf(SameLineReordered, Upload()));
    }

    [Fact]
    public void Key_does_not_depend_on_upload_delta_time_zone_or_workstation_case()
    {
        var plain = KeyOf(Line, new UploadContext("BR1-CIRC-02"));

        Assert.Equal(plain, KeyOf(Line, Upload("BR1-CIRC-02", delta: 3600)));
        Assert.Equal(plain, KeyOf(Line, Upload("br1-circ-02")));
    }

    [Fact]
    public void Key_differs_by_workstation_and_by_content()
    {
        var key = KeyOf(Line, Upload("BR1-CIRC-02"));

        Assert.NotEqual(key, KeyOf(Line, Upload("BR1-CIRC-01")));
        Assert.NotEqual(key, KeyOf(Line.Replace("31234000056789", "31234000056790", StringComparison.Ordinal), Upload("BR1-CIRC-02")));
    }

    [Fact]
    public void Key_is_the_documented_hash()
    {
        const string canonical =
            "{\"barcode\":\"31234000056789\",\"delta\":0,\"due_date\":\"2026-03-19T04:00:00.000Z\",\"patron_barcode\":\"21234000001234\",\"timestamp\":1772722869,\"type\":\"checkout\"}";
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(canonical + "\nBR1-CIRC-02")));

        Assert.Equal(expected, KeyOf(Line, Upload("BR1-CIRC-02")));
        Assert.Equal(expected, TransactionKeys.ForContent(canonical, "br1-circ-02").Text);
    }

    [Fact]
    public void Id_is_the_key_in_lower_case()
    {
        var line = "{\"id\":\"8A1E4D2C-0B7F-4C3A-A5E6-2F9D1B7C3E40\",\"timestamp\":1772719540,\"type\":\"checkin\",\"barcode\":\"312\"}";

        Assert.Equal("8a1e4d2c-0b7f-4c3a-a5e6-2f9d1b7c3e40", KeyOf(line, Upload()));
    }

    [Fact]
    public async Task Koha_line_uploaded_twice_gets_the_same_key()
    {
        var (_, first) = await ReadSample("koha.koc", Upload("BR1-CIRC-01"));
        var (_, second) = await ReadSample("koha.koc", Upload("BR1-CIRC-01", delta: 120));

        Assert.Equal(first.Parsed().Select(t => t.Key), second.Parsed().Select(t => t.Key));
    }
}
