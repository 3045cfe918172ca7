using System.Text;
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
        await CsvExport.WriteAsync(buffer, header, async write =>
        {
            foreach (var row in rows)
            {
                await write(row);
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
}
