using System.Net;
using System.Net.Http.Json;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Reports;

/// <summary>The real app over its own database: a small consortium, workstations at BR1, BR2 and BR3, people of each role.</summary>
public sealed class ReportsApp : IAsyncLifetime
{
    public const string AdminSys1 = "admin.sys1@test.example";
    public const string AuditorSys1 = "auditor.sys1@test.example";
    public const string AdminSys2 = "admin.sys2@test.example";
    public const string AuditorCons = "auditor.cons@test.example";
    public const string StaffBr1 = "staff.br1@test.example";

    public TestDatabase Database { get; } = new();
    public AppFactory App { get; private set; } = null!;
    public TestOrgs Orgs { get; private set; } = null!;
    public string AdminToken { get; private set; } = "";
    public string AuditorToken { get; private set; } = "";
    public string OtherAdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        App = new AppFactory(Database);
        _ = App.Server;
        await using (var db = App.CreateContext())
        {
            Orgs = await TestOrgs.CreateAsync(db);
            db.Workstations.AddRange(
                new Workstation { Name = "BR1-CIRC-01", OrgUnitId = Orgs.Br1.Id, RegisteredAt = DateTimeOffset.UtcNow },
                new Workstation { Name = "BR1-CIRC-02", OrgUnitId = Orgs.Br1.Id, RegisteredAt = DateTimeOffset.UtcNow },
                new Workstation { Name = "BR2-CIRC-01", OrgUnitId = Orgs.Br2.Id, RegisteredAt = DateTimeOffset.UtcNow },
                new Workstation { Name = "BR3-CIRC-01", OrgUnitId = Orgs.Br3.Id, RegisteredAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        await TestOrgs.CreateUserAsync(App.Services, AdminSys1, Roles.Administrator, Orgs.Sys1);
        await TestOrgs.CreateUserAsync(App.Services, AuditorSys1, Roles.Auditor, Orgs.Sys1);
        await TestOrgs.CreateUserAsync(App.Services, AdminSys2, Roles.Administrator, Orgs.Sys2);
        await TestOrgs.CreateUserAsync(App.Services, AuditorCons, Roles.Auditor, Orgs.Cons);
        await TestOrgs.CreateUserAsync(App.Services, StaffBr1, Roles.Staff, Orgs.Br1);
        AdminToken = await TokenAsync(AdminSys1);
        AuditorToken = await TokenAsync(AuditorSys1);
        OtherAdminToken = await TokenAsync(AdminSys2);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    public CircDbContext Db() => App.CreateContext();

    public HttpClient Client(string token) => PortalClient.WithToken(App, token);

    public async Task<PortalClient> LoginAsync(string email)
    {
        var client = PortalClient.Create(App);
        var password = email == AppFactory.AdminEmail ? AppFactory.AdminPassword : TestOrgs.Password;
        var response = await client.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private Task<string> TokenAsync(string email) => App.TokenAsync(email);
}
