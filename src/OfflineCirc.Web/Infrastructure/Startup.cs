using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Demo;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>What happens before the first request: schema, roles, first administrator, demo data.</summary>
public static class Startup
{
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var lines = new List<string>();
        await Database.MigrateWithLockAsync(app.Services, thenUnderLock: () => SeedAsync(app, lines));
        // A node stopped between a replay run's two commits left the run's second half prepared (docs/adr-026).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SessionProcessor>().ResolvePreparedAsync(CancellationToken.None);
        }
        var urls = app.Configuration["ASPNETCORE_URLS"] ?? app.Configuration["urls"];
        if (urls is not null)
        {
            lines.Insert(0, $"OfflineCirc: {urls.Split(';')[0]}");
        }
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    private static async Task SeedAsync(WebApplication app, List<string> lines)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
        var config = app.Configuration;
        // The first administrator comes first: the demo's own users would otherwise count as "a user exists".
        await BootstrapAdministratorAsync(sp, config, lines);
        if (config.GetValue("Demo:Seed", false))
        {
            var seeded = await sp.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(config["Demo:Password"], lines);
            if (seeded)
            {
                app.Logger.LogInformation("Demo consortium seeded");
            }
        }
    }

    private static async Task BootstrapAdministratorAsync(IServiceProvider sp, IConfiguration config, List<string> lines)
    {
        var email = config["Bootstrap:AdminEmail"];
        var password = config["Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            return;
        }
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var db = sp.GetRequiredService<CircDbContext>();
        var existing = await users.FindByEmailAsync(email);
        if (existing is null && await users.Users.AnyAsync(u => u.Email != email))
        {
            // Only the very first account comes from configuration.
            return;
        }
        if (existing is null)
        {
            var root = await db.OrgUnits.OrderBy(o => o.Path.Length).ThenBy(o => o.Id).FirstOrDefaultAsync()
                ?? await CreateRootAsync(db, config);
            existing = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Consortium administrator", HomeOrgId = root.Id };
            var created = await users.CreateAsync(existing, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("The first administrator could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            }
            await users.AddToRoleAsync(existing, Roles.ConsortiumAdministrator);
            // Printed only by the run that created the account, so logs of later starts hold no password.
            lines.Insert(0, $"Consortium administrator: {email} / {password}");
        }
    }

    private static async Task<OrgUnit> CreateRootAsync(CircDbContext db, IConfiguration config)
    {
        var root = new OrgUnit
        {
            ShortName = config["Bootstrap:RootShortName"] ?? "CONS",
            Name = config["Bootstrap:RootName"] ?? "Consortium",
            TimeZone = config["Bootstrap:RootTimeZone"] ?? "UTC",
        };
        db.OrgUnits.Add(root);
        await db.SaveChangesAsync();
        await OrgTree.RecomputePathsAsync(db);
        await db.Entry(root).ReloadAsync();
        return root;
    }
}
