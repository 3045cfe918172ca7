using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.People;

public class WorkstationTests(TestDatabase database) : PeopleTestBase(database)
{
    [Fact]
    public async Task Staff_register_a_workstation_by_api_once_and_only_in_their_libraries()
    {
        using var staff = await SignInNewUserAsync("staff@sys1.example", Roles.Staff, Orgs.Sys1);

        var created = await staff.PostJsonAsync("/api/workstations", new { name = "BR1-CIRC-01", org = "BR1" });
        var again = await staff.PostJsonAsync("/api/workstations", new { name = "br1-circ-01", org = "BR2" });
        var outside = await staff.PostJsonAsync("/api/workstations", new { name = "BR3-CIRC-01", org = "BR3" });
        var badName = await staff.PostJsonAsync("/api/workstations", new { name = "<desk 1>", org = "BR1" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("BR1-CIRC-01", body.GetProperty("name").GetString());
        Assert.Equal("BR1", body.GetProperty("org").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("not one of your libraries", await outside.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        await using var db = App.CreateContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "workstation.registered");
        Assert.Equal("staff@sys1.example", audit.UserName);
    }

    [Fact]
    public async Task Workstation_list_is_scoped_to_the_subtree()
    {
        await SeedWorkstationAsync("BR1-CIRC-01", Orgs.Br1);
        await SeedWorkstationAsync("BR3-CIRC-01", Orgs.Br3);
        using var staff = await SignInNewUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);

        var list = await staff.Http.GetFromJsonAsync<JsonElement>("/api/workstations");

        var only = Assert.Single(list.EnumerateArray());
        Assert.Equal("BR1-CIRC-01", only.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await staff.Http.GetAsync("/api/workstations/BR3-CIRC-01")).StatusCode);
    }

    [Fact]
    public async Task Auditors_cannot_register_workstations()
    {
        using var auditor = await SignInNewUserAsync("auditor@sys1.example", Roles.Auditor, Orgs.Sys1);

        var response = await auditor.PostJsonAsync("/api/workstations", new { name = "BR1-CIRC-02", org = "BR1" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Administrators_see_which_workstations_are_ready_and_register_on_the_page()
    {
        var now = DateTimeOffset.UtcNow;
        await SeedWorkstationAsync("BR1-READY", Orgs.Br1, w =>
        {
            w.ReadinessReportedAt = now.AddMinutes(-5);
            w.BootstrapRefreshedAt = now.AddHours(-1);
            w.BlocklistRefreshedAt = now.AddHours(-2);
            w.ServiceWorkerInstalled = true;
        });
        await SeedWorkstationAsync("BR2-OLD", Orgs.Br2, w =>
        {
            w.ReadinessReportedAt = now.AddDays(-3);
            w.BootstrapRefreshedAt = now.AddDays(-3);
            w.BlocklistRefreshedAt = now.AddHours(-1);
            w.ServiceWorkerInstalled = true;
        });
        await SeedWorkstationAsync("BR2-NEW", Orgs.Br2);
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        var page = await admin.Http.GetStringAsync("/Admin/Workstations");
        Assert.Contains("1 of 3 ready", page);
        Assert.Matches("BR1-READY</td>\\s*<td>BR1</td>\\s*<td>\\s*<span class=\"ok\">ready", page);
        Assert.Contains("bootstrap older than 24 hours", page);
        Assert.Contains("never reported", page);

        var registered = await admin.PostFormAsync("/Admin/Workstations", new() { ["Input.Name"] = "BR2-CIRC-07", ["Input.Org"] = "BR2" });
        var duplicate = await admin.PostFormAsync("/Admin/Workstations", new() { ["Input.Name"] = "BR2-CIRC-07", ["Input.Org"] = "BR2" });

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Contains("BR2-CIRC-07", await admin.Http.GetStringAsync("/Admin/Workstations"));
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains("already registered", await duplicate.Content.ReadAsStringAsync());
    }

    private async Task SeedWorkstationAsync(string name, OrgUnit org, Action<Workstation>? configure = null)
    {
        await using var db = App.CreateContext();
        var workstation = new Workstation { Name = name, OrgUnitId = org.Id, RegisteredAt = DateTimeOffset.UtcNow.AddDays(-10) };
        configure?.Invoke(workstation);
        db.Workstations.Add(workstation);
        await db.SaveChangesAsync();
    }
}
