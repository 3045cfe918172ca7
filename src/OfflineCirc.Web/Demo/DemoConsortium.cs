namespace OfflineCirc.Web.Demo;

public sealed record DemoOrg(string ShortName, string Name, string? Parent, string TimeZone, string ClosedWeekdays, string Phone);

/// <summary>The fixed part of the demo consortium: its org tree, profiles, rules, non-catalogued types and desks.</summary>
public static class DemoConsortium
{
    public const string Toronto = "America/Toronto";
    public const string Vancouver = "America/Vancouver";

    public static readonly IReadOnlyList<DemoOrg> Orgs =
    [
        new("CONS", "Lakes and Mountains Library Consortium", null, Toronto, "", "416"),
        new("SYS1", "Lakeshore Public Library", "CONS", Toronto, "Sun", "416"),
        new("SYS2", "Coastal Mountains Regional Library", "CONS", Vancouver, "Sun", "604"),
        new("BR1", "Lakeshore Central Library", "SYS1", Toronto, "Sun", "416"),
        new("BR2", "Harbourview Branch", "SYS1", Toronto, "Sat;Sun", "416"),
        new("BR3", "Millbrook Branch", "SYS1", Toronto, "Sun;Mon", "705"),
        new("BR4", "Cedar Grove Branch", "SYS2", Vancouver, "Sun", "604"),
        new("BR5", "Tidewater Branch", "SYS2", Vancouver, "Sat;Sun", "250"),
        new("BR6", "Summit Ridge Branch", "SYS2", Vancouver, "Sun;Mon", "250"),
    ];

    public static readonly IReadOnlyList<DemoOrg> Branches = Orgs.Where(o => o.ShortName.StartsWith("BR", StringComparison.Ordinal)).ToList();

    public static DemoOrg Org(string shortName) => Orgs.First(o => o.ShortName == shortName);

    public const string Adult = "Adult";
    public const string Juvenile = "Juvenile";
    public const string Staff = "Staff";

    /// <summary>name, permission_interval_days, checkout_limit, fine_threshold.</summary>
    public static readonly IReadOnlyList<string[]> Profiles =
    [
        [Adult, "1095", "50", "10.00"],
        [Juvenile, "1095", "20", "5.00"],
        [Staff, "730", "100", "25.00"],
    ];

    public static decimal FineThreshold(string profile) => profile switch { Juvenile => 5.00m, Staff => 25.00m, _ => 10.00m };

    /// <summary>org, profile, circ_modifier, loan_duration, max_renewals, fine_per_interval, fine_interval, max_fine, grace_period.</summary>
    public static readonly IReadOnlyList<string[]> Policies =
    [
        ["CONS", "", "", "21 days", "2", "0.25", "1 day", "5.00", "1 day"],
        ["CONS", "", "book", "28 days", "3", "0.25", "1 day", "5.00", "1 day"],
        ["CONS", "", "dvd", "7 days", "1", "1.00", "1 day", "10.00", "0 days"],
        ["CONS", "", "magazine", "7 days", "0", "0.10", "1 day", "2.00", "0 days"],
        ["CONS", "", "laptop", "4 hours", "0", "5.00", "1 hour", "50.00", "0 hours"],
        ["CONS", Juvenile, "book", "28 days", "3", "0.10", "1 day", "2.00", "2 days"],
        ["CONS", Staff, "", "42 days", "5", "0.00", "1 day", "0.00", "0 days"],
        ["SYS2", "", "dvd", "3 days", "2", "2.00", "1 day", "12.00", "0 days"],
        ["BR1", Juvenile, "dvd", "14 days", "1", "0.50", "1 day", "5.00", "1 day"],
    ];

    /// <summary>Loan length the policies above give, in days (0 for the 4-hour laptop loans).</summary>
    public static int LoanDays(string branch, string profile, string modifier) => (modifier, profile) switch
    {
        ("laptop", _) => 0,
        (_, Staff) => 42,
        ("dvd", Juvenile) when branch == "BR1" => 14,
        ("dvd", _) => Org(branch).Parent == "SYS2" ? 3 : 7,
        ("magazine", _) => 7,
        ("book", _) => 28,
        _ => 21,
    };

    /// <summary>name, owning_org, loan_duration.</summary>
    public static readonly IReadOnlyList<string[]> NoncatTypes =
    [
        ["paperback", "CONS", "14 days"],
        ["magazine", "CONS", "7 days"],
        ["board game", "SYS1", "14 days"],
        ["puzzle", "SYS2", "21 days"],
        ["headphones", "BR1", "3 hours"],
    ];

    public static IEnumerable<(string Name, string Org)> Workstations() =>
        Branches.SelectMany(b => Enumerable.Range(1, b.ShortName == "BR1" ? 3 : 2).Select(n => ($"{b.ShortName}-CIRC-{n:00}", b.ShortName)));

    /// <summary>org_short_name, start_date, end_date, reason: public holidays everywhere, and a few local closings.</summary>
    public static IEnumerable<string[]> Closings(DateOnly asOf)
    {
        var year = asOf.Year;
        foreach (var branch in Branches)
        {
            yield return [branch.ShortName, $"{year}-07-01", $"{year}-07-01", "Canada Day"];
            yield return [branch.ShortName, $"{year}-12-25", $"{year}-12-26", "Christmas Day and Boxing Day"];
            yield return [branch.ShortName, $"{year + 1}-01-01", $"{year + 1}-01-01", "New Year's Day"];
        }
        var training = NotAHoliday(asOf.AddDays(10));
        var works = NotAHoliday(asOf.AddDays(20));
        yield return ["BR1", Iso(training), Iso(training), "Staff development day"];
        yield return ["BR4", Iso(works), Iso(works.AddDays(7)), "Renovation: closed for new flooring"];
    }

    // A local closing must not start on the day a holiday closing starts: (org, start date) is a closing's key.
    private static DateOnly NotAHoliday(DateOnly day)
    {
        while ((day.Month, day.Day) is (7, 1) or (12, 25) or (1, 1))
        {
            day = day.AddDays(1);
        }
        return day;
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
