using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Demo;

public sealed record ItemFacts(long N, string Barcode, long RecordId, string Owner, string Modifier, string Location, ItemStatus Status,
    decimal Price, string? Alert, bool Holdable, int DaysSinceChange);

/// <summary>Records and items of the demo: three copies per record, every status represented.</summary>
public sealed class DemoCollection(int seed, int items)
{
    public const long FirstRecordId = 100_001;

    private static readonly string[] Adjectives =
        ["Silent", "Northern", "Hidden", "Last", "Golden", "Winter", "Broken", "Distant", "Painted", "Lost", "Quiet", "Burning", "Salt", "Iron"];

    private static readonly string[] Nouns =
        ["River", "Lighthouse", "Orchard", "Harbour", "Forest", "Garden", "Island", "Mountain", "Letters", "Kingdom", "Prairie", "Tide", "Atlas"];

    private static readonly string[] Places =
        ["Georgian Bay", "the Rockies", "Old Quebec", "the Fraser Valley", "Lake Superior", "the Maritimes", "Haida Gwaii", "the North"];

    private static readonly string[] Authors =
        ["Margaret Atwood", "Esi Edugyan", "Michael Ondaatje", "Alice Munro", "Thomas King", "Madeleine Thien", "Lawrence Hill",
         "Miriam Toews", "Richard Wagamese", "Louise Penny", "Eden Robinson", "Yann Martel", "Carol Shields", "Kim Thúy"];

    private static readonly string[] BookLocations = ["Adult Fiction", "Juvenile Fiction", "Non-fiction", "Large Print"];

    // One of each status first, so even a tiny demo shows them all.
    private static readonly ItemStatus[] Statuses = Enum.GetValues<ItemStatus>();

    public int Records => Math.Max(1, (items + 2) / 3);

    /// <summary>How many items at the start have one status each (item n has the n-th status).</summary>
    public static int OnePerStatus => Statuses.Length;

    public static long ItemWithStatus(ItemStatus status) => Array.IndexOf(Statuses, status) + 1;

    public static string Status(ItemStatus status) => SnakeCaseEnum.ToSnake(status);

    public string[] Record(int n)
    {
        var r = new DemoRandom(seed, 2, n);
        var title = r.Chance(0.4)
            ? $"The {r.Pick(Adjectives)} {r.Pick(Nouns)} of {r.Pick(Places)}"
            : $"The {r.Pick(Adjectives)} {r.Pick(Nouns)}";
        return [(FirstRecordId + n - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"{title} ({n})", r.Pick(Authors)];
    }

    public ItemFacts Item(long n)
    {
        var r = new DemoRandom(seed, 3, n);
        var owner = r.Pick(DemoConsortium.Branches).ShortName;
        var roll = r.Int(100);
        // The first items, one per status, are plain books without alerts, so the demo barcodes in README behave simply.
        var first = n <= Statuses.Length;
        var modifier = first ? "book" : roll < 78 ? "book" : roll < 90 ? "dvd" : roll < 98 ? "magazine" : "laptop";
        var status = first ? Statuses[n - 1] : RandomStatus(ref r, modifier);
        var (location, price) = modifier switch
        {
            "dvd" => ("Media", 20m + r.Int(16)),
            "magazine" => ("Periodicals", 6m + r.Int(7)),
            "laptop" => ("Technology Desk", 899m),
            _ => (r.Pick(BookLocations), 15m + r.Int(46) + 0.99m),
        };
        string? alert = modifier == "laptop" ? "Check that the charger and case come back with it" : !first && r.Chance(0.005) ? "Two discs: check both at return" : null;
        return new ItemFacts(n, Barcodes.Item(n), FirstRecordId + (n - 1) / 3, owner, modifier, location, status, price, alert,
            modifier is "book" or "dvd", status == ItemStatus.CheckedOut ? r.Int(40) : 1 + r.Int(120));
    }

    private static ItemStatus RandomStatus(ref DemoRandom r, string modifier)
    {
        var roll = r.Int(1000);
        if (modifier == "laptop")
        {
            return roll < 300 ? ItemStatus.CheckedOut : ItemStatus.Available;
        }
        return roll switch
        {
            < 150 => ItemStatus.CheckedOut,
            < 170 => ItemStatus.InTransit,
            < 180 => ItemStatus.OnHoldsShelf,
            < 200 => ItemStatus.Lost,
            < 210 => ItemStatus.Missing,
            < 220 => ItemStatus.LongOverdue,
            < 225 => ItemStatus.ClaimsReturned,
            < 235 => ItemStatus.Damaged,
            < 240 => ItemStatus.Discard,
            _ => ItemStatus.Available,
        };
    }
}
