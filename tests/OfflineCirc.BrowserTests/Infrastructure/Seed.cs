using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>What the capture page needs from the server: libraries, a workstation, a non-catalogued type, patrons.</summary>
public sealed class Seed
{
    public const string Workstation = "BR1-CIRC-01";
    public const string Org = "BR1";
    public const string NoncatType = "Magazine";
    public const string Profile = "Adult";

    public required string GoodPatron { get; init; }
    public required string BarredPatron { get; init; }

    /// <summary>Owes <see cref="PayingPatronOwes"/> in one overdue billing.</summary>
    public required string PayingPatron { get; init; }

    public const decimal PayingPatronOwes = 5.00m;

    public static async Task<Seed> CreateAsync(CircDbContext db)
    {
        var orgs = await TestOrgs.CreateAsync(db);
        var profile = new PatronProfile { Name = Profile, CheckoutLimit = 50, PermissionIntervalDays = 365 * 3 };
        db.PatronProfiles.Add(profile);
        db.Workstations.Add(new Workstation { Name = Workstation, OrgUnitId = orgs.Br1.Id, RegisteredAt = DateTimeOffset.UtcNow, RegisteredBy = "seed" });
        db.NoncatTypes.Add(new NoncatType { Name = NoncatType, OwningOrgId = orgs.Br1.Id, LoanDuration = 7, LoanDurationUnit = DurationUnit.Days });
        await db.SaveChangesAsync();
        var seed = new Seed { GoodPatron = Barcodes.Patron(), BarredPatron = Barcodes.Patron(), PayingPatron = Barcodes.Patron() };
        db.Patrons.Add(Patron("Good", seed.GoodPatron, orgs.Br1, profile, barred: false));
        db.Patrons.Add(Patron("Barred", seed.BarredPatron, orgs.Br1, profile, barred: true));
        var paying = Patron("Paying", seed.PayingPatron, orgs.Br1, profile, barred: false);
        db.Patrons.Add(paying);
        await db.SaveChangesAsync();
        db.Billings.Add(new Billing { PatronId = paying.Id, Amount = PayingPatronOwes, BillingType = "overdue", BilledAt = DateTimeOffset.UtcNow.AddDays(-10) });
        await db.SaveChangesAsync();
        return seed;
    }

    private static Patron Patron(string family, string card, OrgUnit home, PatronProfile profile, bool barred) => new()
    {
        FamilyName = family,
        FirstGivenName = "Pat",
        HomeOrgId = home.Id,
        ProfileId = profile.Id,
        Barred = barred,
        ExpireDate = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(2)),
        CreatedAt = DateTimeOffset.UtcNow,
        Cards = [new Card { Barcode = card, Primary = true }],
    };
}
