using System.Text;
using OfflineCirc.Core.Formats;

namespace OfflineCirc.Tests.Formats;

internal static class FormatTestSupport
{
    public static readonly TimeZoneMap Zones = new(
        [new("BR1", "America/Toronto"), new("PAR", "Europe/Paris")],
        [new("BR1-CIRC-01", "BR1"), new("BR1-CIRC-02", "BR1"), new("PAR-CIRC-01", "PAR")]);

    public static UploadContext Upload(string workstation = "BR1-CIRC-02", int delta = 0) =>
        new(workstation, delta, Zones);

    public static Stream Sample(string name) =>
        File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    public static Stream Text(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    public static async Task<(OfflineFileReader Reader, List<LineOutcome> Outcomes)> ReadAll(Stream stream, UploadContext context)
    {
        await using (stream)
        {
            var reader = new OfflineFileReader(stream, context);
            var outcomes = new List<LineOutcome>();
            await foreach (var outcome in reader.ReadAsync())
            {
                outcomes.Add(outcome);
            }
            return (reader, outcomes);
        }
    }

    public static Task<(OfflineFileReader Reader, List<LineOutcome> Outcomes)> ReadSample(string name, UploadContext? context = null) =>
        ReadAll(Sample(name), context ?? Upload());

    public static List<ParsedTransaction> Parsed(this IEnumerable<LineOutcome> outcomes) =>
        outcomes.Select(o => Assert.IsType<LineOutcome.Parsed>(o).Transaction).ToList();

    /// <summary>Parses a single line of a JSON Lines file and returns its rejection reason (fails if it parsed).</summary>
    public static string ReasonFor(string line, UploadContext? context = null)
    {
        var outcome = TransactionParser.ParseJsonLine(line, 1, context ?? Upload());
        return Assert.IsType<LineOutcome.Rejected>(outcome).Reason;
    }

    public static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
