using System.Net;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.People;

/// <summary>Every test starts from an empty database, the real app over it and the test consortium.</summary>
public abstract class PeopleTestBase(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    protected TestDatabase Database { get; } = database;
    protected AppFactory App { get; private set; } = null!;
    protected TestOrgs Orgs { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.ResetAsync();
        App = new AppFactory(Database);
        // Starting the server creates the first administrator and the consortium root.
        _ = App.Server;
        await using var db = App.CreateContext();
        Orgs = await TestOrgs.CreateAsync(db);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    protected Task<AppUser> CreateUserAsync(string email, string role, OrgUnit home) =>
        TestOrgs.CreateUserAsync(App.Services, email, role, home);

    protected async Task<PortalClient> SignInAsync(string email, string password = TestOrgs.Password)
    {
        var client = PortalClient.Create(App);
        var response = await client.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    protected async Task<PortalClient> SignInNewUserAsync(string email, string role, OrgUnit home)
    {
        await CreateUserAsync(email, role, home);
        return await SignInAsync(email);
    }

    protected async Task<Patron> SeedPatronAsync(OrgUnit home, string cardBarcode, string family = "Reader", string given = "Rita")
    {
        await using var db = App.CreateContext();
        var profile = await db.PatronProfiles.SingleOrDefaultAsync(p => p.Name == "Adult")
            ?? db.PatronProfiles.Add(new PatronProfile { Name = "Adult", PermissionIntervalDays = 365, CheckoutLimit = 10, FineThreshold = 10m }).Entity;
        var patron = new Patron
        {
            FamilyName = family,
            FirstGivenName = given,
            HomeOrgId = home.Id,
            Profile = profile,
            ExpireDate = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)),
            CreatedAt = DateTimeOffset.UtcNow,
            Cards = [new Card { Barcode = cardBarcode, Primary = true }],
        };
        db.Patrons.Add(patron);
        await db.SaveChangesAsync();
        return patron;
    }

    protected async Task<Item> SeedItemAsync(OrgUnit owner, string barcode, string title = "A Book", long? recordId = null)
    {
        await using var db = App.CreateContext();
        var id = recordId ?? await db.Records.Select(r => (long?)r.Id).MaxAsync() + 1 ?? 1;
        var record = await db.Records.FindAsync(id) ?? db.Records.Add(new BibRecord { Id = id, Title = title, Author = "Writer, Ann" }).Entity;
        var item = new Item
        {
            Barcode = barcode,
            Record = record,
            OwningOrgId = owner.Id,
            Location = "Stacks",
            CircModifier = "book",
            Status = ItemStatus.Available,
            StatusChangedAt = DateTimeOffset.UtcNow.AddDays(-30),
        };
        db.Items.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    /// <summary>GETs a page and follows one redirect, as a browser would land on the access-denied page.</summary>
    protected static async Task<HttpResponseMessage> GetFollowingAsync(PortalClient client, string url)
    {
        var response = await client.Http.GetAsync(url);
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } next)
        {
            response = await client.Http.GetAsync(next);
        }
        return response;
    }
}
