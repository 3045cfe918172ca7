using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Web.Demo;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Tests.Import;

public class CommandLineAndDemoTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_import_verb_prints_counts_or_row_errors_and_exits_0_or_1()
    {
        await database.ResetAsync();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = database.ConnectionString }).Build();
        var dir = Directory.CreateTempSubdirectory("oc-import-").FullName;
        try
        {
            var good = Path.Combine(dir, "orgs.csv");
            await File.WriteAllTextAsync(good, "short_name,name,parent_short_name,time_zone,closed_weekdays\nCONS,Consortium,,America/Toronto,\nBR1,Branch,CONS,America/Toronto,Sun\n");
            var output = new StringWriter();
            Assert.Equal(0, await CommandLine.ImportAsync(["org_units", good], config, output));
            Assert.Contains("org_units: 2 rows, 2 inserted, 0 updated", output.ToString());

            var bad = Path.Combine(dir, "bad.csv");
            await File.WriteAllTextAsync(bad, "name,org_short_name\nBR9-CIRC-01,BR9\n");
            output = new StringWriter();
            Assert.Equal(1, await CommandLine.ImportAsync(["workstations", bad], config, output));
            Assert.Contains("row 2: org_short_name 'BR9' is not a known library", output.ToString());
            Assert.Equal(1, await CommandLine.ImportAsync(["nothing", bad], config, new StringWriter()));

            await using var db = database.CreateContext();
            Assert.Equal(2, await db.OrgUnits.CountAsync());
            Assert.Equal(0, await db.Workstations.CountAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_generator_writes_the_same_bytes_for_the_same_seed_and_sizes()
    {
        var first = Directory.CreateTempSubdirectory("oc-gen-").FullName;
        var second = Directory.CreateTempSubdirectory("oc-gen-").FullName;
        var third = Directory.CreateTempSubdirectory("oc-gen-").FullName;
        try
        {
            string[] args(string dir, string seed) => ["--patrons", "300", "--items", "900", "--seed", seed, "--as-of", "2026-03-04", "--out", dir];
            Assert.Equal(0, await CommandLine.GenerateAsync(args(first, "7"), TextWriter.Null));
            Assert.Equal(0, await CommandLine.GenerateAsync(args(second, "7"), TextWriter.Null));
            Assert.Equal(0, await CommandLine.GenerateAsync(args(third, "8"), TextWriter.Null));
            var files = Directory.GetFiles(first).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(13, files.Count);
            Assert.Equal("01-org_units.csv", files[0]);
            Assert.Equal("13-holds.csv", files[^1]);
            foreach (var file in files)
            {
                Assert.Equal(Hash(Path.Combine(first, file!)), Hash(Path.Combine(second, file!)));
            }
            Assert.NotEqual(Hash(Path.Combine(first, "04-patrons.csv")), Hash(Path.Combine(third, "04-patrons.csv")));
            var items = await File.ReadAllLinesAsync(Path.Combine(first, "07-items.csv"));
            Assert.All(items.Skip(1), line => Assert.True(Barcodes.IsValid(line.Split(',')[0]) && line.StartsWith('3')));
            var patrons = await File.ReadAllLinesAsync(Path.Combine(first, "04-patrons.csv"));
            Assert.All(patrons.Skip(1), line => Assert.True(Barcodes.IsValid(line.Split(',')[0]) && line.StartsWith('2')));
        }
        finally
        {
            foreach (var dir in new[] { first, second, third })
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_demo_seed_loads_a_consortium_with_every_situation_once_and_creates_its_people()
    {
        await database.ResetAsync();
        await using var app = new AppFactory(database);
        app.CreateClient().Dispose();
        var lines = new List<string>();
        Assert.True(await app.WithScopeAsync(sp => sp.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync("Demo-Password-1", lines)));
        Assert.False(await app.WithScopeAsync(sp => sp.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync("Demo-Password-1", [])));
        Assert.Contains("Staff (BR1): staff.br1@demo.example / Demo-Password-1", lines);
        Assert.Equal(5, lines.Count);

        await using var db = app.CreateContext();
        Assert.Equal(DemoSeeder.Size.Patrons, await db.Patrons.CountAsync());
        Assert.Equal(DemoSeeder.Size.Items, await db.Items.CountAsync());
        var statuses = await db.Items.GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Assert.Equal(Enum.GetValues<ItemStatus>().Length, statuses.Count);
        Assert.Equal(statuses.Single(s => s.Key == ItemStatus.CheckedOut).Count, await db.Circulations.CountAsync(c => c.CheckinTime == null));
        Assert.True(await db.Patrons.AnyAsync(p => p.Barred));
        Assert.True(await db.Patrons.AnyAsync(p => !p.Active));
        Assert.True(await db.Patrons.AnyAsync(p => p.ExpireDate < DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.True(await db.Cards.AnyAsync(c => !c.Active && !c.Primary));
        Assert.Equal(3, await db.PatronProfiles.CountAsync());
        Assert.Equal(["America/Toronto", "America/Vancouver"], await db.OrgUnits.Select(o => o.TimeZone).Distinct().OrderBy(z => z).ToListAsync());
        Assert.True(await db.OrgUnits.CountAsync(o => o.ShortName.StartsWith("BR")) >= 5);
        Assert.True(await db.OrgClosings.AnyAsync(c => c.Reason.StartsWith("Christmas")));
        Assert.True(await db.Workstations.AnyAsync(w => w.Name == "BR1-CIRC-01"));
        Assert.True(await db.Holds.AnyAsync(h => h.Status == HoldStatus.Pending));
        Assert.True(await db.Policies.AnyAsync(p => p.CircModifier == "laptop" && p.LoanDurationUnit == DurationUnit.Hours));
        var overThreshold = await db.Database.SqlQueryRaw<int>("""
            SELECT count(*)::int AS "Value" FROM (SELECT b.patron_id FROM billings b JOIN patrons p ON p.id = b.patron_id
            JOIN patron_profiles pr ON pr.id = p.profile_id GROUP BY b.patron_id, pr.fine_threshold HAVING sum(b.amount) > pr.fine_threshold) x
            """).SingleAsync();
        Assert.True(overThreshold > 0);
        Assert.Equal(1, await db.OrgUnits.CountAsync(o => o.ParentId == null));
        await AssertReadmeBarcodesAsync(db);

        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var sys2 = await users.FindByEmailAsync("admin.sys2@demo.example");
        Assert.NotNull(sys2);
        Assert.True(await users.IsInRoleAsync(sys2, Roles.Administrator));
        Assert.True(await users.CheckPasswordAsync(sys2, "Demo-Password-1"));
    }

    /// <summary>The barcodes README lists for a first try are there, each in the state README says.</summary>
    private static async Task AssertReadmeBarcodesAsync(OfflineCirc.Core.Data.CircDbContext db)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var good = await db.Cards.Where(c => c.Barcode == DemoBarcodes.GoodPatron).Select(c => new { c.Active, c.Patron!.Barred, PatronActive = c.Patron.Active, c.Patron.ExpireDate, c.PatronId }).SingleAsync();
        Assert.True(good.Active && good.PatronActive && !good.Barred && good.ExpireDate > today);
        Assert.False(await db.Billings.AnyAsync(b => b.PatronId == good.PatronId));
        Assert.False(await db.PatronBlocks.AnyAsync(b => b.PatronId == good.PatronId));
        Assert.True(await db.Cards.AnyAsync(c => c.Barcode == DemoBarcodes.BarredPatron && c.Active && c.Patron!.Barred && c.Patron.ExpireDate > today));
        Assert.True(await db.Cards.AnyAsync(c => c.Barcode == DemoBarcodes.ExpiredPatron && c.Active && !c.Patron!.Barred && c.Patron.ExpireDate < today));

        var available = await db.Items.SingleAsync(i => i.Barcode == DemoBarcodes.AvailableItem);
        Assert.Equal(ItemStatus.Available, available.Status);
        Assert.Null(available.AlertMessage);
        Assert.False(await db.Holds.AnyAsync(h => h.TargetItemId == available.Id || h.TargetRecordId == available.RecordId));
        var onLoan = await db.Items.SingleAsync(i => i.Barcode == DemoBarcodes.CheckedOutItem);
        Assert.Equal(ItemStatus.CheckedOut, onLoan.Status);
        Assert.Equal(1, await db.Circulations.CountAsync(c => c.ItemId == onLoan.Id && c.CheckinTime == null));
        Assert.Equal(ItemStatus.Lost, (await db.Items.SingleAsync(i => i.Barcode == DemoBarcodes.LostItem)).Status);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
