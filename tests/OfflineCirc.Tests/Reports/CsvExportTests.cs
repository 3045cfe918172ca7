using System.Globalization;
using System.Text;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Tests.Reports;

/// <summary>
/// The bytes of the CSV downloads. The expected text was taken from the exports as CsvHelper 33.1.0 wrote them (RFC 4180
/// quoting, formula cells escaped with ', leading spaces and tabs neutralised), so the writer that replaced it keeps
/// every byte a spreadsheet or a script downstream already reads.
/// </summary>
public class CsvExportTests
{
    private static async Task<byte[]> WriteAsync(IReadOnlyList<string> header, params string?[][] rows)
    {
        using var buffer = new MemoryStream();
        await CsvExport.WriteAsync(buffer, header, async csv =>
        {
            foreach (var row in rows)
            {
                await csv.RowAsync(row);
            }
        }, CancellationToken.None);
        return buffer.ToArray();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("\"quoted\"", "\"\"\"quoted\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData(",", "\",\"")]
    [InlineData(" lead", "\" lead\"")]
    [InlineData("trail ", "\"trail \"")]
    [InlineData(" both ", "\" both \"")]
    [InlineData(" ", "\" \"")]
    [InlineData(" plain text", "\" plain text\"")]
    [InlineData("x\t", "x\t")]
    [InlineData("=1+2", "\"'=1+2\"")]
    [InlineData("+44 123", "\"'+44 123\"")]
    [InlineData("-5", "\"'-5\"")]
    [InlineData("-1.50", "\"'-1.50\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tTAB", "\"'\tTAB\"")]
    [InlineData("\t", "\"'\t\"")]
    [InlineData("\rCR", "\"'\rCR\"")]
    [InlineData("\r", "\"'\r\"")]
    [InlineData("a\r\nb", "\"a\r\nb\"")]
    [InlineData("\r\n", "\"'\r\n\"")]
    [InlineData("\r\nstart", "\"'\r\nstart\"")]
    [InlineData("=a,b", "\"'=a,b\"")]
    [InlineData("=\"q\"", "\"'=\"\"q\"\"\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData(" =1+2", "' =1+2")]
    [InlineData("  -2+3", "'  -2+3")]
    [InlineData(" \t@cmd", "' \t@cmd")]
    [InlineData("\t=x", "'\t=x")]
    [InlineData(" =a\"b", "\"' =a\"\"b\"")]
    [InlineData(" =a b ", "\"' =a b \"")]
    [InlineData("'", "'")]
    [InlineData("' =1", "' =1")]
    [InlineData("naïve café – 東京 😀", "naïve café – 東京 😀")]
    public async Task A_cell_is_quoted_and_escaped_as_the_exports_always_wrote_it(string? cell, string expected)
    {
        var bytes = await WriteAsync(["cell"], [cell]);
        Assert.Equal("cell\r\n" + expected + "\r\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task Rows_of_mixed_cells_are_the_same_bytes_as_before()
    {
        var bytes = await WriteAsync(["n", "a", "b", "c", "d", "e", "f", "g", "h"],
            ["1", "a,b", "say \"hi\"", " lead", "trail ", "=1+2", "naïve café – 東京 😀", null, ""],
            ["-5", "+44 123", "@SUM(A1)", "\tTAB", "\rCR", "a\r\nb", " =1+2", "  -2+3", " \t@cmd"]);
        // UTF-8 without a byte order mark, CRLF after every row including the last.
        Assert.Equal(Convert.FromHexString(
            "6E2C612C622C632C642C652C662C672C680D0A312C22612C62222C2273617920222268692222222C22206C656164222C22747261696C20222C" +
            "22273D312B32222C6E61C3AF766520636166C3A920E2809320E69DB1E4BAAC20F09F98802C2C0D0A22272D35222C22272B343420313233222C" +
            "22274053554D28413129222C222709544142222C22270D4352222C22610D0A62222C27203D312B322C2720202D322B332C27200940636D640D0A"),
            bytes);
    }

    [Fact]
    public async Task A_header_with_no_rows_is_one_line()
    {
        Assert.Equal("a,b\r\n"u8.ToArray(), await WriteAsync(["a", "b"]));
    }

    /// <summary>
    /// CsvHelper 33 with its NewLine set quoted a cell for a whole CRLF only and left these unquoted, so a reader took the
    /// rest of the cell for a new row. They are quoted now: the one change in the bytes.
    /// </summary>
    [Theory]
    [InlineData("a\nb", "\"a\nb\"", "a\nb")]
    [InlineData("a\rb", "\"a\rb\"", "a\rb")]
    [InlineData("end\r", "\"end\r\"", "end\r")]
    [InlineData("end\n", "\"end\n\"", "end\n")]
    [InlineData("\nLF", "\"\nLF\"", "\nLF")]
    [InlineData("\n", "\"\n\"", "\n")]
    [InlineData(" =a\nb", "\"' =a\nb\"", "' =a\nb")]
    public async Task A_lone_line_break_inside_a_cell_is_quoted(string cell, string expected, string read)
    {
        var bytes = await WriteAsync(["cell", "next"], [cell, "x"]);
        Assert.Equal("cell,next\r\n" + expected + ",x\r\n", Encoding.UTF8.GetString(bytes));
        Assert.Equal([["cell", "next"], [read, "x"]], CsvDownloadTests.ParseCsv(Encoding.UTF8.GetString(bytes)));
    }

    [Fact]
    public async Task Results_rows_are_the_same_bytes_as_before()
    {
        using var buffer = new MemoryStream();
        await CsvExport.WriteAsync(buffer, ResultRow.CsvHeader, async csv =>
        {
            foreach (var row in SampleRows())
            {
                row.WriteCsv(csv);
                await csv.EndRowAsync();
            }
        }, CancellationToken.None);
        Assert.Equal(
            "session_id,transaction_key,workstation,org,type,recorded_at,effective_at,status,codes,message,patron_barcode,item_barcode," +
            "noncat_type,count,checkout_time,due_date,checkin_time,billed_amount,follow_up,run,processed_at,resolved,resolution_note\r\n" +
            "42,K-1,BR1-CIRC-01,BR1,checkout,2026-03-05T14:00:07+00:00,2026-12-31T23:59:59+05:30,Applied,,Checked out.,P0001,I0001,,," +
            "2026-03-05T14:00:07+00:00,2026-12-31T23:59:59+05:30,,,,1,1999-01-02T03:04:05-08:00,false,\r\n" +
            "42,K-2,BR1-CIRC-01,BR1,checkin,2026-03-05T14:00:07+00:00,1999-01-02T03:04:05-08:00,Warning,COPY_STATUS_LOST;ROUTE_ITEM," +
            "\"Checked in; due 2026-03-20T03:59:00+00:00, returned 2026-03-19T10:00:00+00:00.\",,I0002,,,,,2026-12-31T23:59:59+05:30," +
            "\"'-1.01\",LOST_RETURNED;TRANSIT_HOME,12,2026-03-05T14:00:07+00:00,true,\"Refund reviewed, ok\"\r\n" +
            "42,K-3,BR1-CIRC-02,,in_house_use,2026-03-05T14:00:07+00:00,2026-03-05T14:00:07+00:00,,,,,\"'=I0003\",MAGAZINE,3,,,,0.00,,,,," +
            "ignored while unprocessed\r\n" +
            "9223372036854775807,\" K-4\",\"BR1 \"\"A\"\"\",\"'@BR\",\"'-checkin\",1999-01-02T03:04:05-08:00,2026-12-31T23:59:59+05:30,Failed," +
            "ONE,' =cmd,\"'\tP\",\"I,4\",\"note\r\nline\",\"'-5\",1999-01-02T03:04:05-08:00,1999-01-02T03:04:05-08:00," +
            "1999-01-02T03:04:05-08:00,1234567.50,HOLD_SHELF,0,2026-12-31T23:59:59+05:30,false,\"a \"\"quoted\"\" note \"\r\n" +
            "42,K-5,BR1-CIRC-01,BR1,renew,2026-03-05T14:00:07+00:00,2026-03-05T14:00:07+00:00,Skipped,A;B;C,,,,,0," +
            "2026-03-05T14:00:07+00:00,2026-03-05T14:00:07+00:00,2026-03-05T14:00:07+00:00,0.00,X,2,2026-03-05T14:00:07+00:00,false,\r\n",
            Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public async Task Follow_up_rows_are_the_same_bytes_as_before()
    {
        using var buffer = new MemoryStream();
        await CsvExport.WriteAsync(buffer, FollowUpRow.CsvHeader, async csv =>
        {
            foreach (var row in SampleFollowUps())
            {
                row.WriteCsv(csv, 77);
                await csv.EndRowAsync();
            }
        }, CancellationToken.None);
        Assert.Equal(
            "session_id,branch,follow_up,description,transaction_key,type,item_barcode,title,location,patron_barcode,patron_name," +
            "destination,codes,processed_at\r\n" +
            "77,BR1,HOLD_SHELF,Put the item on the holds shelf for the patron who asked for it.,K-1,checkin,I0001,\"A title, with a comma\"," +
            "Stacks,P0001,\"Doe, Jane\",BR2,HOLD_SHELF;ROUTE_ITEM,2026-03-06T14:00:00+00:00\r\n" +
            "77,,LOST_RETURNED,A lost item came back: review any lost-item charge for a refund.,K-2,checkin,,,,,,,,\r\n" +
            "77,BR3,TRANSIT_HOME,Send the item back to the library that owns it.,K-3,checkin,\"'=1+2\",' +x,\"'-\",\"'@\",\"\"\"\",BR1,ONLY," +
            "2026-03-06T09:30:00-05:00\r\n",
            Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public async Task Times_are_written_as_the_custom_format_writes_them()
    {
        var times = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(999, 12, 31, 23, 59, 59, TimeSpan.Zero) };
        var random = new Random(18);
        for (var i = 0; i < 2000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.AddDays(1).Ticks, DateTime.MaxValue.AddDays(-1).Ticks);
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 4, 14 * 4 + 1) * 15);
            times.Add(new DateTimeOffset(new DateTime(ticks), offset));
        }
        using var buffer = new MemoryStream();
        await CsvExport.WriteAsync(buffer, ["t"], async csv =>
        {
            foreach (var time in times)
            {
                csv.Time(time);
                await csv.EndRowAsync();
            }
        }, CancellationToken.None);
        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split("\r\n");
        Assert.Equal(["t", .. times.Select(t => t.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)), ""], lines);
    }

    [Fact]
    public async Task Many_rows_and_a_row_larger_than_the_buffer_all_arrive_in_order()
    {
        var long_ = new string('x', 100_000) + "\"" + new string('y', 50_000);
        var rows = Enumerable.Range(0, 30_000).Select(i => i == 12_345 ? long_ : $"row {i}, ok").ToList();
        var bytes = await WriteAsync(["n"], [.. rows.Select(r => new[] { r })]);
        var expected = new StringBuilder("n\r\n");
        foreach (var row in rows)
        {
            expected.Append('"').Append(row.Replace("\"", "\"\"")).Append("\"\r\n");
        }
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(bytes));
    }

    /// <summary>Results with every column set, none set, and awkward values: negative and rounded amounts, times at other offsets, times in messages.</summary>
    public static ResultRow[] SampleRows()
    {
        var utc = new DateTimeOffset(2026, 3, 5, 14, 0, 7, TimeSpan.Zero);
        var india = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(330));
        var pacific = new DateTimeOffset(1999, 1, 2, 3, 4, 5, TimeSpan.FromHours(-8));
        return
        [
            new(1, 42, "K-1", "BR1-CIRC-01", "BR1", "checkout", utc, india, ResultStatus.Applied, [], "Checked out.",
                "P0001", "I0001", null, null, utc, india, null, null, [], 1, pacific, false, null, false, false, null),
            new(2, 42, "K-2", "BR1-CIRC-01", "BR1", "checkin", utc, pacific, ResultStatus.Warning, ["COPY_STATUS_LOST", "ROUTE_ITEM"],
                "Checked in; due 2026-03-20 03:59+00:00, returned 2026-03-19T10:00:00Z.", null, "I0002", null, null, null, null, india,
                -1.005m, ["LOST_RETURNED", "TRANSIT_HOME"], 12, utc, true, "Refund reviewed, ok", true, true, "2026-03-20"),
            new(3, 42, "K-3", "BR1-CIRC-02", null, "in_house_use", utc, utc, null, [], null,
                null, "=I0003", "MAGAZINE", 3, null, null, null, 0m, [], null, null, true, "ignored while unprocessed", false, false, null),
            new(4, 9_223_372_036_854_775_807, " K-4", "BR1 \"A\"", "@BR", "-checkin", pacific, india, ResultStatus.Failed, ["ONE"],
                " =cmd", "\tP", "I,4", "note\r\nline", -5, pacific, pacific, pacific, 1234567.5m, ["HOLD_SHELF"], 0, india, false,
                "a \"quoted\" note ", false, false, null),
            new(5, 42, "K-5", "BR1-CIRC-01", "BR1", "renew", utc, utc, ResultStatus.Skipped, ["A", "B", "C"], "",
                "", "", "", 0, utc, utc, utc, 0.004m, ["X"], 2, utc, false, "", false, false, null),
        ];
    }

    public static FollowUpRow[] SampleFollowUps() =>
    [
        new("BR1", "Branch One", "HOLD_SHELF", 1, "K-1", "checkin", "I0001", "A title, with a comma", "Stacks", "P0001", "Doe, Jane",
            "BR2", "Branch Two", ["HOLD_SHELF", "ROUTE_ITEM"], new DateTimeOffset(2026, 3, 6, 14, 0, 0, TimeSpan.Zero)),
        new(null, null, "LOST_RETURNED", 2, "K-2", "checkin", null, null, null, null, null, null, null, [], null),
        new("BR3", "Three", "TRANSIT_HOME", 3, "K-3", "checkin", "=1+2", " +x", "-", "@", "\"", "BR1", "One", ["ONLY"],
            new DateTimeOffset(2026, 3, 6, 9, 30, 0, TimeSpan.FromHours(-5))),
    ];
}
