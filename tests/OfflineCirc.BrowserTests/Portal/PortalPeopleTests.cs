using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;
using OfflineCirc.Core.Model;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests.Portal;

/// <summary>Each role signs in and uses the forms it is given; each press is checked in the database.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalPeopleTests(PortalFixture app)
{
    [Fact]
    public async Task Staff_uploads_a_capture_export_on_the_session_page_and_sees_no_administrator_buttons()
    {
        var id = await app.World.OpenSessionAsync(Seed.Org, "Staff upload");
        var file = await app.World.OutageAsync(app.Seed);
        var page = await app.NewPageAsync(PortalFixture.StaffEmail);
        await page.GotoAsync("/Sessions");
        await page.GetByRole(AriaRole.Link, new() { Name = $"#{id}", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/Sessions/Details/{id}");

        // The workstation is asked for, not preselected.
        await page.GetByLabel("File", new() { Exact = true }).SetInputFilesAsync(file.Payload());
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(0, await db.Transactions.CountAsync(t => t.SessionId == id));
        }
        await SessionPage.UploadAsync(page, file.Payload());
        await Expect(page.Locator("#upload-summary")).ToContainTextAsync("4 stored");
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(4, await db.Transactions.CountAsync(t => t.SessionId == id));
            Assert.Equal(PortalFixture.StaffEmail, (await db.UploadedFiles.SingleAsync(f => f.SessionId == id)).UploadedBy);
        }
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Process" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Close session (no more uploads)" })).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(PortalFixture.StaffEmail)]
    [InlineData(PortalFixture.AuditorEmail)]
    [InlineData(PortalFixture.AdministratorEmail)]
    public async Task Anyone_signed_in_makes_and_revokes_an_access_token(string email)
    {
        var page = await app.NewPageAsync(email);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Access tokens" }).ClickAsync();
        var name = "script of " + email;
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Make token" }).ClickAsync();
        await Expect(page.Locator("#new-secret")).Not.ToHaveValueAsync("");
        await using (var db = app.CreateDbContext())
        {
            var token = await db.ApiTokens.SingleAsync(t => t.Name == name);
            Assert.Null(token.RevokedAt);
            Assert.Equal(email, (await db.Users.SingleAsync(u => u.Id == token.UserId)).Email);
        }

        await page.Locator("tr", new() { HasText = name }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
        await using (var db = app.CreateDbContext())
        {
            Assert.NotNull((await db.ApiTokens.SingleAsync(t => t.Name == name)).RevokedAt);
        }
    }

    [Fact]
    public async Task Auditor_reads_a_session_without_any_form_that_changes_it()
    {
        var session = await PortalSessions.ProcessedAsync(app);
        var page = await app.NewPageAsync(PortalFixture.AuditorEmail);
        await page.GotoAsync($"/Sessions/Details/{session.Id}");
        await Expect(page.Locator("h1")).ToContainTextAsync($"Session #{session.Id}");
        await Expect(page.Locator("main form[method=post]")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Exceptions (" }).ClickAsync();
        await Expect(page.Locator("table.exceptions tbody tr")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("main form[method=post]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Administrator_adds_a_user_registers_a_workstation_and_imports_a_csv()
    {
        var page = await app.NewPageAsync(PortalFixture.AdministratorEmail);
        int br2;
        await using (var db = app.CreateDbContext())
        {
            br2 = (await db.OrgUnits.SingleAsync(o => o.ShortName == "BR2")).Id;
        }

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a user" }).ClickAsync();
        await PortalFixture.AddUserAsync(page, "new.staff@portal.test", Roles.Staff, br2);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("new.staff@portal.test can now sign in as Staff of BR2");
        await using (var db = app.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == "new.staff@portal.test");
            Assert.Equal(br2, user.HomeOrgId);
            var role = await db.Roles.SingleAsync(r => r.Name == Roles.Staff);
            Assert.True(await db.UserRoles.AnyAsync(ur => ur.UserId == user.Id && ur.RoleId == role.Id));
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Workstations" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("BR2-CIRC-07");
        await page.GetByLabel("Library").SelectOptionAsync("BR2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Workstation BR2-CIRC-07 registered");
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(br2, (await db.Workstations.SingleAsync(w => w.Name == "BR2-CIRC-07")).OrgUnitId);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();
        await page.GetByLabel("What the file holds").SelectOptionAsync("records");
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload
        {
            Name = "records.csv",
            MimeType = "text/csv",
            Buffer = "record_id,title,author\r\n880001,Little House in the Big Woods,Laura Ingalls Wilder\r\n880002,Farmer Boy,Laura Ingalls Wilder\r\n"u8.ToArray(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2 rows");
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal("Farmer Boy", (await db.Records.SingleAsync(r => r.Id == 880002)).Title);
        }
    }
}
