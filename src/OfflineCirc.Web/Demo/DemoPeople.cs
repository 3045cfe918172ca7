namespace OfflineCirc.Web.Demo;

public sealed record PatronFacts(long N, string Card, string FamilyName, string GivenName, DateOnly Dob, string? Email, string Phone,
    string Home, string Profile, bool Active, bool Barred, DateOnly Expire, string? Username, bool LostCard, bool SecondCard,
    bool HasBills, bool OverFineThreshold);

/// <summary>Patrons of the demo: each one's facts are computed from the seed and its number alone.</summary>
public sealed class DemoPeople(int seed, int patrons, DateOnly asOf)
{
    private static readonly string[] FamilyNames =
    [
        "Tremblay", "Nguyen", "Singh", "MacDonald", "Okafor", "Chen", "Roy", "Gagnon", "Wilson", "Martin", "Patel", "Kowalski",
        "Morrison", "Lee", "Campbell", "Ahmed", "Bouchard", "Fraser", "Yamamoto", "O'Brien", "Silva", "Thompson", "Kim", "Côté",
        "Anderson", "Haddad", "Ferreira", "Clarke", "Novak", "Stewart", "Ramirez", "Hughes", "Dubois", "Lindqvist", "Mensah", "Park",
    ];

    private static readonly string[] GivenNames =
    [
        "Olivia", "Liam", "Emma", "Noah", "Amelia", "Ethan", "Sofia", "Lucas", "Chloé", "Arjun", "Mei", "Jack", "Aisha", "Mateo",
        "Zoe", "Owen", "Priya", "Benjamin", "Léa", "Samuel", "Hana", "Daniel", "Grace", "Mohammed", "Isla", "Oscar", "Nora",
        "Theo", "Ava", "Kai", "Maya", "Elijah", "Ruby", "Felix", "Iris", "Gabriel",
    ];

    public PatronFacts Patron(long n)
    {
        var r = new DemoRandom(seed, 1, n);
        var home = r.Pick(DemoConsortium.Branches);
        var roll = r.Int(100);
        var profile = roll < 70 ? DemoConsortium.Adult : roll < 95 ? DemoConsortium.Juvenile : DemoConsortium.Staff;
        var age = profile == DemoConsortium.Juvenile ? r.Between(6, 17) : r.Between(18, 85);
        var dob = asOf.AddYears(-age).AddDays(-r.Int(365));
        var family = r.Pick(FamilyNames);
        var given = r.Pick(GivenNames);
        // The first patrons are one of each situation staff must be warned about, whatever the size.
        var active = !(n == 4 || (n > 6 && r.Chance(0.03)));
        var barred = n == 2 || (n > 6 && r.Chance(0.02));
        var expired = n == 3 || (n > 6 && r.Chance(0.05));
        var lostCard = n == 5 || (n > 6 && r.Chance(0.04));
        var overThreshold = n == 6 || (n > 6 && r.Chance(0.02));
        // Patron 1 is the demo's patron in good standing (DemoBarcodes): nothing owed.
        var hasBills = overThreshold || (n != DemoBarcodes.GoodPatronNumber && r.Chance(0.05));
        var expire = expired ? asOf.AddDays(-r.Between(1, 400)) : asOf.AddDays(r.Between(30, 1095));
        var ascii = Ascii(given).ToLowerInvariant() + "." + Ascii(family).ToLowerInvariant();
        return new PatronFacts(n, Barcodes.Patron(n), family, given, dob,
            r.Chance(0.75) ? $"{ascii}{n}@example.org" : null,
            $"{home.Phone}-555-{r.Int(10000):0000}",
            home.ShortName, profile, active, barred, expire,
            r.Chance(0.2) ? $"{ascii.Replace(".", "")}{n}" : null,
            lostCard, r.Chance(0.01), hasBills, overThreshold);
    }

    /// <summary>A patron chosen by a value (e.g. for a loan), spread over all patrons.</summary>
    public long PatronFor(ulong value) => (long)(value % (ulong)patrons) + 1;

    public static string LostCard(long n) => Barcodes.Patron(Barcodes.ExtraCardBase + n);

    public static string SecondCard(long n) => Barcodes.Patron(Barcodes.ExtraCardBase + 20_000_000 + n);

    private static string Ascii(string text) =>
        new(text.Normalize(System.Text.NormalizationForm.FormD).Where(c => c < 128 && char.IsLetter(c)).ToArray());
}
