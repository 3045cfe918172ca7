using System.Text;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Tests.Security;

public class CsvNeutralisingTests
{
    private static async Task<string> WriteAsync(params string?[] cells)
    {
        using var buffer = new MemoryStream();
        await CsvExport.WriteAsync(buffer, ["cell"], async csv =>
        {
            foreach (var cell in cells)
            {
                await csv.RowAsync([cell]);
            }
        }, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Theory]
    [InlineData(" =1+2", "' =1+2")]
    [InlineData("   +SUM(A1:A9)", "'   +SUM(A1:A9)")]
    [InlineData(" \t@cmd", "' \t@cmd")]
    [InlineData("  -2+3", "'  -2+3")]
    [InlineData("=1+2", "'=1+2")]
    public async Task A_formula_behind_leading_spaces_or_tabs_is_neutralised(string cell, string expected)
    {
        var csv = await WriteAsync(cell);
        var row = csv.Split("\r\n")[1];
        Assert.Equal(expected, row.Trim('"'));
    }

    [Theory]
    [InlineData(" plain text")]
    [InlineData("  21234000001234")]
    [InlineData("Checked out.")]
    public async Task Ordinary_cells_with_leading_spaces_are_left_as_they_are(string cell)
    {
        var csv = await WriteAsync(cell);
        Assert.Equal(cell, csv.Split("\r\n")[1].Trim('"'));
    }
}
