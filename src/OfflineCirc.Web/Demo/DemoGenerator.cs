using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using NodaTime;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Import;

namespace OfflineCirc.Web.Demo;

public sealed record DemoSize(int Patrons, int Items);

/// <summary>
/// Writes a demo consortium as one CSV per import kind. The same seed, sizes and as-of date give the same bytes:
/// every value comes from <see cref="DemoRandom"/> keyed by the seed and the row's number, and times from the as-of date.
/// </summary>
public sealed class DemoGenerator(DemoSize size, int seed, DateOnly asOf)
{
    public const int DefaultSeed = 20260101;

    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture) { NewLine = "\r\n" };

    private readonly DemoPeople _people = new(seed, Math.Max(1, size.Patrons), asOf);
    private readonly DemoCollection _collection = new(seed, size.Items);

    /// <summary>Writes every kind into <paramref name="directory"/> in load order; returns the paths.</summary>
    public IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var kind in ImportKinds.All)
        {
            var path = Path.Combine(directory, ImportKinds.FileName(kind));
            using var file = File.Create(path);
            Write(kind, file);
            paths.Add(path);
        }
        return paths;
    }

    public void Write(ImportKind kind, Stream output)
    {
        using var text = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        using var csv = new CsvWriter(text, Csv);
        WriteRow(csv, kind.Columns);
        foreach (var row in Rows(kind.Name))
        {
            WriteRow(csv, row);
        }
    }

    private static void WriteRow(CsvWriter csv, IReadOnlyList<string?> cells)
    {
        foreach (var cell in cells)
        {
            csv.WriteField(cell ?? "");
        }
        csv.NextRecord();
    }

    private IEnumerable<IReadOnlyList<string?>> Rows(string kind) => kind switch
    {
        "org_units" => DemoConsortium.Orgs.Select(o => new[] { o.ShortName, o.Name, o.Parent, o.TimeZone, o.ClosedWeekdays }),
        "closings" => DemoConsortium.Closings(asOf),
        "profiles" => DemoConsortium.Profiles,
        "patrons" => Patrons(),
        "cards" => Cards(),
        "records" => Enumerable.Range(1, size.Items == 0 ? 0 : _collection.Records).Select(_collection.Record),
        "items" => Items(),
        "policies" => DemoConsortium.Policies.Select(p => p.Select(c => c.Length == 0 ? null : c).ToArray()),
        "noncat_types" => DemoConsortium.NoncatTypes,
        "workstations" => DemoConsortium.Workstations().Select(w => new[] { w.Name, w.Org }),
        "circulations" => Circulations(),
        "billings" => Billings(),
        "holds" => Holds(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of the demo."),
    };

    private IEnumerable<string?[]> Patrons()
    {
        for (long n = 1; n <= size.Patrons; n++)
        {
            var p = _people.Patron(n);
            yield return [p.Card, p.FamilyName, p.GivenName, DemoConsortium.Iso(p.Dob), p.Email, p.Phone, p.Home, p.Profile,
                Bool(p.Active), Bool(p.Barred), DemoConsortium.Iso(p.Expire), p.Username];
        }
    }

    private IEnumerable<string?[]> Cards()
    {
        for (long n = 1; n <= size.Patrons; n++)
        {
            var p = _people.Patron(n);
            if (p.LostCard)
            {
                yield return [DemoPeople.LostCard(n), p.Card, "false"];
            }
            if (p.SecondCard)
            {
                yield return [DemoPeople.SecondCard(n), p.Card, "true"];
            }
        }
    }

    private IEnumerable<string?[]> Items()
    {
        for (long n = 1; n <= size.Items; n++)
        {
            var i = _collection.Item(n);
            var changed = i.Status switch
            {
                ItemStatus.Available => null,
                ItemStatus.CheckedOut => Loan(i).Checkout,
                _ => Time(i.Owner, asOf.AddDays(-i.DaysSinceChange), 12, 0),
            };
            yield return [i.Barcode, i.RecordId.ToString(CultureInfo.InvariantCulture), i.Owner, i.Location, i.Modifier,
                DemoCollection.Status(i.Status), i.Price.ToString("0.00", CultureInfo.InvariantCulture), i.Alert, Bool(i.Holdable), changed];
        }
    }

    private IEnumerable<string?[]> Circulations()
    {
        for (long n = 1; n <= size.Items && size.Patrons > 0; n++)
        {
            var i = _collection.Item(n);
            if (i.Status == ItemStatus.CheckedOut)
            {
                var loan = Loan(i);
                yield return [i.Barcode, loan.Card, loan.Checkout, loan.Due, loan.Org, loan.Renewals.ToString(CultureInfo.InvariantCulture)];
            }
        }
    }

    private (string Card, string Org, string Checkout, string Due, int Renewals) Loan(ItemFacts item)
    {
        var r = new DemoRandom(seed, 4, item.N);
        var patron = _people.Patron(_people.PatronFor(r.Next()));
        var org = r.Chance(0.9) ? item.Owner : r.Pick(DemoConsortium.Branches).ShortName;
        var day = asOf.AddDays(-item.DaysSinceChange - 1);
        var loanDays = DemoConsortium.LoanDays(org, patron.Profile, item.Modifier);
        if (loanDays == 0)
        {
            return (patron.Card, org, Time(org, day, 14, 0), Time(org, day, 18, 0), 0);
        }
        var checkout = Time(org, day, 9 + r.Int(11), r.Int(60));
        return (patron.Card, org, checkout, Time(org, day.AddDays(loanDays), 23, 59, 59), r.Int(3));
    }

    private IEnumerable<string?[]> Billings()
    {
        for (long n = 1; n <= size.Patrons; n++)
        {
            var p = _people.Patron(n);
            if (!p.HasBills)
            {
                continue;
            }
            var r = new DemoRandom(seed, 6, n);
            if (p.OverFineThreshold)
            {
                var lost = DemoConsortium.FineThreshold(p.Profile) + 15.99m;
                yield return [p.Card, lost.ToString("0.00", CultureInfo.InvariantCulture), "lost item", Time(p.Home, asOf.AddDays(-30 - r.Int(60)), 12, 0)];
            }
            var overdue = 0.25m * r.Between(2, 19);
            yield return [p.Card, overdue.ToString("0.00", CultureInfo.InvariantCulture), "overdue", Time(p.Home, asOf.AddDays(-1 - r.Int(25)), 12, 0)];
        }
    }

    private IEnumerable<string?[]> Holds()
    {
        var patrons = size.Patrons;
        if (patrons == 0 || size.Items == 0)
        {
            yield break;
        }
        var count = Math.Max(Math.Min(5, patrons), patrons / 10);
        // A stride prime to the patron count visits each patron at most once, so no patron holds the same thing twice.
        var stride = new[] { 7919, 7927, 7933, 7937, 1 }.First(s => patrons % s != 0);
        for (long h = 1; h <= count; h++)
        {
            var r = new DemoRandom(seed, 5, h);
            var p = _people.Patron((h - 1) * stride % patrons + 1);
            // Holds leave the one-per-status items (and their records) alone: README's demo barcodes stay simple.
            var spare = size.Items - DemoCollection.OnePerStatus - 2;
            var item = _collection.Item(spare > 0 ? DemoCollection.OnePerStatus + 3 + r.Int(spare) : 1 + r.Int(size.Items));
            var onItem = item.Holdable && r.Chance(0.4);
            yield return [p.Card, onItem ? item.Barcode : null, onItem ? null : item.RecordId.ToString(CultureInfo.InvariantCulture),
                p.Home, Time(p.Home, asOf.AddDays(-1 - r.Int(60)), 11, r.Int(60)), Bool(r.Chance(0.1))];
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Time(string org, DateOnly day, int hour, int minute, int second = 0)
    {
        var zone = DateTimeZoneProviders.Tzdb[DemoConsortium.Org(org).TimeZone];
        var local = new LocalDateTime(day.Year, day.Month, day.Day, hour, minute, second);
        return zone.AtLeniently(local).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
