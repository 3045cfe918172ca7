using System.Text.Json;
using OfflineCirc.Core.Demo;

namespace OfflineCirc.Tests.Processing;

/// <summary>The generated desk activity the benchmarks replay: where its lines are recorded.</summary>
public class TransactionGeneratorTests
{
    private static readonly string[] Branches = ["BR1", "BR2", "BR3"];

    private static GeneratorInputs Inputs() => new(
        Enumerable.Range(1, 500).Select(i => $"2{i:0000000000000}").ToList(),
        Enumerable.Range(1, 3000).Select(i => $"3{i:0000000000000}").ToList(),
        [("BR1-CIRC-01", "BR1"), ("BR1-CIRC-02", "BR1"), ("BR2-CIRC-01", "BR2"), ("BR3-CIRC-01", "BR3")],
        ["paperback"], ["Adult"])
    {
        ItemOrgs = Enumerable.Range(1, 3000).Select(i => Branches[i % 3]).ToList(),
    };

    /// <summary>Of the lines about a catalogued item, the share recorded at a desk of the item's library.</summary>
    private static async Task<double> ShareAtItemBranchAsync(TransactionGenerator generator, GeneratorInputs inputs)
    {
        var writer = new StringWriter();
        await generator.WriteAsync(writer, 20_000, new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));
        var owners = inputs.ItemBarcodes.Select((b, i) => (b, i)).ToDictionary(x => x.b, x => inputs.ItemOrgs![x.i]);
        var (local, all) = (0, 0);
        foreach (var text in writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var line = JsonDocument.Parse(text).RootElement;
            if (line.TryGetProperty("barcode", out var barcode))
            {
                all++;
                local += owners[barcode.GetString()!] == line.GetProperty("org").GetString() ? 1 : 0;
                Assert.StartsWith(line.GetProperty("org").GetString()!, line.GetProperty("workstation").GetString());
            }
        }
        Assert.True(all > 15_000, $"only {all} item lines");
        return (double)local / all;
    }

    [Fact]
    public async Task At_item_branch_records_most_item_lines_at_a_desk_of_the_items_library()
    {
        var inputs = Inputs();

        var chosen = await ShareAtItemBranchAsync(new TransactionGenerator(inputs, 42) { AtItemBranch = 0.9 }, inputs);
        var drawn = await ShareAtItemBranchAsync(new TransactionGenerator(inputs, 42), inputs);

        // 90% chosen plus the drawn desk's chance of being local anyway for the other 10%.
        Assert.InRange(chosen, 0.9, 0.97);
        Assert.InRange(drawn, 0.28, 0.39);
    }

    [Fact]
    public async Task At_item_branch_without_the_items_libraries_is_refused()
    {
        var inputs = Inputs() with { ItemOrgs = null };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new TransactionGenerator(inputs, 1) { AtItemBranch = 0.5 }.WriteAsync(new StringWriter(), 10, DateTimeOffset.UnixEpoch));
        Assert.Contains("libraries", error.Message);
    }

    [Fact]
    public async Task Ids_are_version_7_uuids_carrying_the_line_s_time_as_the_capture_page_makes_them()
    {
        var writer = new StringWriter();
        await new TransactionGenerator(Inputs(), 7).WriteAsync(writer, 2_000, new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));

        var ids = new HashSet<string>();
        var previous = "";
        foreach (var text in writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var line = JsonDocument.Parse(text).RootElement;
            var id = line.GetProperty("id").GetString()!;
            Assert.True(Guid.TryParseExact(id, "D", out _), id);
            Assert.Equal('7', id[14]);
            Assert.Contains(id[19], "89ab");
            Assert.Equal(line.GetProperty("timestamp").GetInt64() * 1000, Convert.ToInt64(id[..8] + id[9..13], 16));
            // In time order, so sorted as the database's unique index sorts them, apart from lines of the same second.
            Assert.True(string.CompareOrdinal(id[..13], previous) >= 0, $"{id} after {previous}");
            previous = id[..13];
            Assert.True(ids.Add(id));
        }
    }
}
