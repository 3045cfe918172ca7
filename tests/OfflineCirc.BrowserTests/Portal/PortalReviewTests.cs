using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;
using OfflineCirc.Core.Model;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests.Portal;

/// <summary>An administrator's outage day in the portal, every step by the button on the page it is on.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalReviewTests(PortalFixture app)
{
    [Fact]
    public async Task Administrator_creates_uploads_processes_corrects_forces_retries_resolves_and_closes_from_the_pages()
    {
        var file = await app.World.OutageAsync(app.Seed);
        var page = await app.NewPageAsync(PortalFixture.AdministratorEmail);

        var id = await SessionPage.CreateAsync(page, Seed.Org, "Outage of the review test");
        await using (var db = app.CreateDbContext())
        {
            var session = await db.Sessions.Include(s => s.OrgUnit).SingleAsync(s => s.Id == id);
            Assert.Equal((Seed.Org, SessionState.Open), (session.OrgUnit!.ShortName, session.State));
        }
        // Nothing to process or retry yet: both buttons say why they are disabled.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Process" })).ToBeDisabledAsync();
        await Expect(page.Locator("#process-why")).ToContainTextAsync("Nothing new to process");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry failed and forced" })).ToBeDisabledAsync();
        await Expect(page.Locator("#retry-why")).ToContainTextAsync("not been processed yet");
        await Expect(page.GetByLabel("Workstation", new() { Exact = true })).ToHaveValueAsync("");

        await SessionPage.UploadAsync(page, file.Payload());
        await Expect(page.Locator("#upload-summary")).ToContainTextAsync("4 stored");
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(4, await db.Transactions.CountAsync(t => t.SessionId == id));
        }

        await SessionPage.RunAsync(page, "Process");
        var tx = await TransactionIdsAsync(file);
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(4, await db.Results.CountAsync(r => r.SessionId == id && r.IsCurrent));
            Assert.Equal(ResultStatus.Failed, (await db.Results.SingleAsync(r => r.TransactionId == tx[file.Failed] && r.IsCurrent)).Status);
            Assert.Equal(ResultStatus.Skipped, (await db.Results.SingleAsync(r => r.TransactionId == tx[file.Skipped] && r.IsCurrent)).Status);
        }
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Process" })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Exceptions (" }).ClickAsync();
        await page.WaitForURLAsync($"**/Sessions/Exceptions/{id}");

        // Correct the failed check-out: another item, and a due date through the date field.
        var failed = SessionPage.Row(page, tx[file.Failed]);
        await failed.GetByText("Correct", new() { Exact = true }).ClickAsync();
        await failed.GetByLabel("Item barcode").FillAsync(file.SpareItem);
        await failed.GetByLabel("Due date").FillAsync("2030-01-15");
        await failed.GetByRole(AriaRole.Button, new() { Name = "Save correction" }).ClickAsync();
        await Expect(page.Locator("p.ok", new() { HasText = "corrected" })).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            var t = await db.Transactions.SingleAsync(t => t.Id == tx[file.Failed]);
            Assert.Equal((file.SpareItem, "2030-01-15", true), (t.ItemBarcode, t.DueDate, t.Edited));
            Assert.Equal(2, await db.TransactionEdits.CountAsync(e => e.TransactionId == t.Id));
        }

        await SessionPage.Row(page, tx[file.Skipped]).GetByRole(AriaRole.Button, new() { Name = "Force on next retry" }).ClickAsync();
        await Expect(page.Locator("p.ok", new() { HasText = "will be applied by the next retry" })).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            Assert.True((await db.Transactions.SingleAsync(t => t.Id == tx[file.Skipped])).Forced);
        }

        var allowed = SessionPage.Row(page, tx[file.Allowed]);
        await Expect(allowed).ToContainTextAsync("Patron barred");
        await Expect(allowed).ToContainTextAsync("allowed at the desk by desk.clerk");
        await allowed.GetByText("Resolve", new() { Exact = true }).ClickAsync();
        await allowed.GetByLabel("Note").FillAsync("Barred patron allowed by the desk; checked with the branch manager.");
        await allowed.GetByRole(AriaRole.Button, new() { Name = "Mark resolved" }).ClickAsync();
        await Expect(page.Locator("p.ok", new() { HasText = "marked resolved" })).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            var result = await db.Results.SingleAsync(r => r.TransactionId == tx[file.Allowed] && r.IsCurrent);
            Assert.True(result.Resolved);
            Assert.StartsWith("Barred patron allowed", result.ResolutionNote);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Retry failed and forced transactions" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Back to session #{id}" }).ClickAsync();
        await Expect(page.Locator("#session-progress [data-field=state]")).ToHaveTextAsync("Processed", new() { Timeout = 120_000 });
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(2, await db.SessionRuns.CountAsync(r => r.SessionId == id));
            var corrected = await db.Results.SingleAsync(r => r.TransactionId == tx[file.Failed] && r.IsCurrent);
            Assert.Equal(2, corrected.Run);
            Assert.NotEqual(ResultStatus.Failed, corrected.Status);
            Assert.NotEqual(ResultStatus.Skipped, (await db.Results.SingleAsync(r => r.TransactionId == tx[file.Skipped] && r.IsCurrent)).Status);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Close session (no more uploads)" }).ClickAsync();
        await Expect(page.Locator("p.ok", new() { HasText = "The session is closed." })).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(SessionState.Closed, (await db.Sessions.SingleAsync(s => s.Id == id)).State);
        }
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Transaction_page_shows_the_line_its_file_every_run_and_the_override_beside_the_code()
    {
        var session = await PortalSessions.ProcessedAsync(app);
        var page = await app.NewPageAsync(PortalFixture.AuditorEmail);
        await page.GotoAsync($"/Sessions/Exceptions/{session.Id}");
        await SessionPage.Row(page, session.Transactions[session.File.Allowed]).GetByRole(AriaRole.Link).First.ClickAsync();
        await page.WaitForURLAsync($"**/Sessions/Transaction/{session.Transactions[session.File.Allowed]}");

        await Expect(page.Locator("h1")).ToContainTextAsync("Check-out");
        await Expect(page.Locator("pre.payload")).ToContainTextAsync("\"overrides\"");
        await Expect(page.Locator("main")).ToContainTextAsync("line 2");
        await Expect(page.Locator("tr[data-run='1']")).ToContainTextAsync("PATRON_BARRED");
        await Expect(page.Locator("tr[data-run='1']")).ToContainTextAsync("allowed at the desk by desk.clerk");
        await Expect(page.Locator("#touched")).ToContainTextAsync("Barred, Pat");
        await Expect(page.Locator("#touched a[href^='/Lookup/Item']")).ToHaveCountAsync(2);

        await page.GotoAsync("/Sessions/Transaction/987654321");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
    }

    private async Task<Dictionary<string, long>> TransactionIdsAsync(OutageFile file)
    {
        await using var db = app.CreateDbContext();
        var keys = new[] { file.Applied, file.Allowed, file.Failed, file.Skipped };
        return await db.Transactions.Where(t => keys.Contains(t.Key)).ToDictionaryAsync(t => t.Key, t => t.Id);
    }
}
