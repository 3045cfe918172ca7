using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Import;

public class ImportScopeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Workstations = "name,org_short_name\nBR1-CIRC-01,BR1\nBR3-CIRC-01,BR3\nBR2-CIRC-01,BR2\n";

    [Fact]
    public async Task An_administrator_of_one_system_gets_row_errors_for_another_systems_rows()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        using var sys1Admin = await kit.UserAsync("admin.sys1@test.example", Roles.Administrator, kit.Orgs.Sys1);
        var errors = await kit.RejectedAsync("workstations", Workstations, sys1Admin);
        Assert.Equal([(3, "org_short_name 'BR3' is outside your libraries")], errors);

        Assert.Equal((2, 2, 0), await kit.ImportAsync("workstations", "name,org_short_name\nBR1-CIRC-01,BR1\nBR2-CIRC-01,BR2\n", sys1Admin));
        await kit.ImportAsync("workstations", "name,org_short_name\nBR3-CIRC-01,BR3\n");
        // Moving another system's desk into one's own library is refused too.
        // The refusal does not say which library holds the desk.
        Assert.Equal([(2, "workstation 'BR3-CIRC-01' belongs to a library outside yours")],
            await kit.RejectedAsync("workstations", "name,org_short_name\nBR3-CIRC-01,BR1\n", sys1Admin));
        var forbidden = await ImportTestKit.PostCsvAsync(sys1Admin, "profiles", "name,permission_interval_days,checkout_limit,fine_threshold\nX,1,1,1.00\n");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await using var db = kit.App.CreateContext();
        Assert.Equal(kit.Orgs.Br3.Id, (await db.Workstations.SingleAsync(w => w.Name == "BR3-CIRC-01")).OrgUnitId);
    }

    [Fact]
    public async Task Auditors_and_staff_are_forbidden_and_unknown_kinds_are_not_found()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        using var auditor = await kit.UserAsync("auditor@test.example", Roles.Auditor, kit.Orgs.Sys1);
        using var staff = await kit.UserAsync("staff@test.example", Roles.Staff, kit.Orgs.Br1);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportTestKit.PostCsvAsync(auditor, "workstations", Workstations)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportTestKit.PostCsvAsync(staff, "workstations", Workstations)).StatusCode);
        var unknown = await ImportTestKit.PostCsvAsync(kit.Admin, "unicorns", "a\n1\n");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("application/problem+json", unknown.Content.Headers.ContentType!.ToString());

        using var portal = PortalClient.Create(kit.App);
        await portal.LoginAsync("staff@test.example", TestOrgs.Password);
        var page = await portal.Http.GetAsync("/Admin/Import");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/AccessDenied", page.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_admin_page_imports_an_upload_and_lists_row_errors()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        using var portal = PortalClient.Create(kit.App);
        await portal.LoginAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);

        var good = await portal.PostMultipartAsync("/Admin/Import", Upload("workstations", Workstations), "/Admin/Import");
        var goodHtml = await good.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains("3 rows, 3 added, 0 updated", goodHtml);

        var bad = await portal.PostMultipartAsync("/Admin/Import", Upload("workstations", "name,org_short_name\nX-1,BR1\nX-2,<b>BRX</b>\n"), "/Admin/Import");
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("not imported", badHtml);
        Assert.Contains("&#x27;&lt;b&gt;BRX&lt;/b&gt;&#x27; is not a known library", badHtml);
        await using var db = kit.App.CreateContext();
        Assert.Equal(3, await db.Workstations.CountAsync());
    }

    [Fact]
    public async Task The_api_accepts_a_multipart_file_field()
    {
        await using var kit = await ImportTestKit.StartAsync(database);
        using var form = Upload("workstations", Workstations, "file");
        var response = await kit.Admin.PostAsync("/api/import/workstations", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"inserted\":3", await response.Content.ReadAsStringAsync());
    }

    private static MultipartFormDataContent Upload(string kind, string csv, string field = "Upload")
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { new StringContent(kind), "Kind" }, { file, field, $"{kind}.csv" } };
    }
}
