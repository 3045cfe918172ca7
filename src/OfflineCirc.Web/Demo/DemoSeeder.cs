using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Import;

namespace OfflineCirc.Web.Demo;

/// <summary>Seeds the demo consortium into an empty database through the bulk import.</summary>
public class DemoSeeder(CircDbContext db, ImportService imports, UserManager<AppUser> users, ILogger<DemoSeeder> logger)
{
    public static readonly DemoSize Size = new(2_000, 10_000);

    /// <summary>The demo's people: one of each role, at the org unit their role needs.</summary>
    public static readonly IReadOnlyList<(string Label, string Email, string Role, string Org)> People =
    [
        ("Staff (BR1)", "staff.br1@demo.example", Roles.Staff, "BR1"),
        ("Administrator (SYS1)", "admin.sys1@demo.example", Roles.Administrator, "SYS1"),
        ("Auditor (SYS1)", "auditor.sys1@demo.example", Roles.Auditor, "SYS1"),
        ("Administrator (SYS2)", "admin.sys2@demo.example", Roles.Administrator, "SYS2"),
        ("Consortium administrator (CONS)", "consortium.admin@demo.example", Roles.ConsortiumAdministrator, "CONS"),
    ];

    /// <summary>Loads the demo when there are no patrons yet; false (and nothing done) when data exists.</summary>
    public async Task<bool> SeedIfEmptyAsync(string? demoPassword, List<string> credentials)
    {
        if (await db.Patrons.AnyAsync())
        {
            // A demo user removed since the first run is made again (and printed).
            if (demoPassword is not null && await users.FindByEmailAsync(People[0].Email) is not null)
            {
                await CreatePeopleAsync(demoPassword, credentials);
            }
            return false;
        }
        var generator = new DemoGenerator(Size, DemoGenerator.DefaultSeed, DateOnly.FromDateTime(DateTime.UtcNow));
        foreach (var kind in ImportKinds.All)
        {
            // Each file is made in memory and imported as it is; the demo is a few megabytes.
            using var buffer = new MemoryStream();
            generator.Write(kind, buffer);
            buffer.Position = 0;
            var result = await imports.ImportAsync(kind, buffer, ImportActor.System);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"The demo's {kind.Name} did not import: " + string.Join("; ", result.Errors.Take(5)));
            }
            logger.LogInformation("Demo {Kind}: {Rows} rows", kind.Name, result.Rows);
        }
        if (demoPassword is not null)
        {
            await CreatePeopleAsync(demoPassword, credentials);
        }
        return true;
    }

    private async Task CreatePeopleAsync(string password, List<string> credentials)
    {
        foreach (var (label, email, role, org) in People)
        {
            if (await users.FindByEmailAsync(email) is null)
            {
                var home = await db.OrgUnits.SingleAsync(o => o.ShortName == org);
                var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = label, HomeOrgId = home.Id };
                var created = await users.CreateAsync(user, password);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"The demo user {email} could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
                }
                await users.AddToRoleAsync(user, role);
                // A password is printed only by the run that set it; later runs keep it to themselves.
                credentials.Add($"{label}: {email} / {password}");
            }
        }
    }
}
