using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Reports;

public sealed partial class WorklistAndAccessTests(ReportsApp app) : IClassFixture<ReportsApp>
{
    /// <summary>A hold to shelve at BR2 and an item to send home to BR3 from BR1, with patron, title and location.</summary>
    private async Task<(long SessionId, string HoldItem, string HomeItem)> WorklistSessionAsync()
    {
        await using var db = app.Db();
        var seed = await Seed.SessionAsync(db, app.Orgs.Sys1);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var profile = new PatronProfile { Name = "adult-" + tag, CheckoutLimit = 10 };
        var record = new BibRecord { Id = Random.Shared.NextInt64(10_000_000, 90_000_000), Title = "The Long Winter", Author = "Wilder" };
        db.AddRange(profile, record);
        await db.SaveChangesAsync();
        var holder = new Patron { FamilyName = "Ingalls", FirstGivenName = "Laura", HomeOrgId = app.Orgs.Br2.Id, ProfileId = profile.Id };
        var borrower = new Patron { FamilyName = "Oleson", FirstGivenName = "Nellie", HomeOrgId = app.Orgs.Br1.Id, ProfileId = profile.Id };
        var holdItem = new Item { Barcode = "H-" + tag, RecordId = record.Id, OwningOrgId = app.Orgs.Br2.Id, Location = "Fiction", Status = ItemStatus.OnHoldsShelf };
        var homeItem = new Item { Barcode = "T-" + tag, RecordId = record.Id, OwningOrgId = app.Orgs.Br3.Id, Location = "Large print", Status = ItemStatus.InTransit };
        db.AddRange(holder, borrower, holdItem, homeItem);
        await db.SaveChangesAsync();
        db.Cards.Add(new Card { Barcode = "C-" + tag, PatronId = holder.Id, Primary = true });
        var hold = new Hold { PatronId = holder.Id, TargetItemId = holdItem.Id, PickupOrgId = app.Orgs.Br2.Id, RequestTime = Seed.Base.AddDays(-3), Status = HoldStatus.Captured };
        db.Holds.Add(hold);
        await db.SaveChangesAsync();
        var transit = new Transit { ItemId = homeItem.Id, FromOrgId = app.Orgs.Br1.Id, ToOrgId = app.Orgs.Br3.Id, SentTime = Seed.Base };
        db.Transits.Add(transit);
        await db.SaveChangesAsync();
        await seed.WithResultAsync("checkin", ResultStatus.Warning, [ResultCodes.RouteItem], tx: t => t.ItemBarcode = homeItem.Barcode,
            result: r =>
            {
                r.ItemId = homeItem.Id;
                r.PatronId = borrower.Id;
                r.TransitId = transit.Id;
                r.FollowUps = [FollowUpKinds.TransitHome];
            });
        await seed.WithResultAsync("checkin", ResultStatus.Applied, workstation: "BR2-CIRC-01", tx: t => t.ItemBarcode = holdItem.Barcode,
            result: r =>
            {
                r.ItemId = holdItem.Id;
                r.PatronId = borrower.Id;
                r.HoldId = hold.Id;
                r.FollowUps = [FollowUpKinds.HoldShelf];
            });
        await seed.WithResultAsync("checkout", ResultStatus.Applied);
        return (seed.Id, holdItem.Barcode, homeItem.Barcode);
    }

    [Fact]
    public async Task Worklist_groups_follow_ups_by_the_branch_that_recorded_them()
    {
        var (id, holdItem, homeItem) = await WorklistSessionAsync();
        using var client = await app.LoginAsync(ReportsApp.AuditorSys1);
        var html = await client.Http.GetStringAsync($"/Sessions/FollowUps/{id}");
        var sections = SectionPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["BR1 - Branch One", "BR2 - Branch Two"], sections);
        var br1 = html[html.IndexOf("BR1 - Branch One", StringComparison.Ordinal)..html.IndexOf("BR2 - Branch Two", StringComparison.Ordinal)];
        var br2 = html[html.IndexOf("BR2 - Branch Two", StringComparison.Ordinal)..];
        Assert.Contains(homeItem, br1);
        Assert.Contains("TRANSIT_HOME", br1);
        Assert.Contains("BR3 - Branch Three", br1);
        Assert.Contains("Large print", br1);
        Assert.Contains(holdItem, br2);
        Assert.Contains("HOLD_SHELF", br2);
        Assert.Contains("Ingalls, Laura", br2);
        Assert.Contains("The Long Winter", br2);
        Assert.DoesNotContain("Ingalls", br1);

        using var api = app.Client(app.AuditorToken);
        var rows = CsvDownloadTests.ParseCsv(await api.GetStringAsync($"/api/sessions/{id}/followups.csv"));
        Assert.Equal(["session_id", "branch", "follow_up", "description", "transaction_key", "type", "item_barcode", "title", "location",
            "patron_barcode", "patron_name", "destination", "codes", "processed_at"], rows[0]);
        Assert.Equal([("BR1", "TRANSIT_HOME", homeItem, "BR3"), ("BR2", "HOLD_SHELF", holdItem, "BR2")],
            rows.Skip(1).Select(r => (r[1], r[2], r[6], r[11])));
        Assert.Equal("Ingalls, Laura", rows[2][10]);

        var onlyBr2 = CsvDownloadTests.ParseCsv(await api.GetStringAsync($"/api/sessions/{id}/followups.csv?branch=BR2"));
        Assert.Single(onlyBr2.Skip(1));
    }

    [Fact]
    public async Task Session_page_shows_counts_by_status_code_workstation_and_type_with_a_labelled_chart()
    {
        var (id, _, _) = await WorklistSessionAsync();
        using var client = await app.LoginAsync(ReportsApp.AuditorSys1);
        var html = await client.Http.GetStringAsync($"/Sessions/Details/{id}");
        Assert.Contains("<td class=\"num\" data-status=\"Applied\">2</td>", html);
        Assert.Contains("<td class=\"num\" data-status=\"Warning\">1</td>", html);
        Assert.Contains("<svg class=\"chart\" role=\"img\"", html);
        Assert.Contains("<title id=", html);
        Assert.Contains("Sent home to its library: 1.", html);
        Assert.Contains("<small class=\"code\">ROUTE_ITEM</small>", html);
        Assert.Contains(">BR2-CIRC-01</a>", html);
        Assert.Contains(">Check-in</a> <small class=\"code\">checkin</small>", html);
        Assert.Contains($"/api/sessions/{id}/exceptions.csv", html);
        Assert.DoesNotContain("Retry failed and forced", html);
    }

    [Fact]
    public async Task Auditor_reads_and_downloads_but_every_state_change_is_forbidden()
    {
        var (id, _, _) = await WorklistSessionAsync();
        long failedTx, skippedTx;
        await using (var db = app.Db())
        {
            var seed = new Seed(db, await db.Sessions.SingleAsync(s => s.Id == id), await db.UploadedFiles.FirstAsync(f => f.SessionId == id));
            failedTx = (await seed.WithResultAsync("checkout", ResultStatus.Failed, [ResultCodes.ActorUserNotFound])).Id;
            skippedTx = (await seed.WithResultAsync("checkin", ResultStatus.Skipped, [ResultCodes.SkipAssetChanged])).Id;
        }

        using var api = app.Client(app.AuditorToken);
        foreach (var file in new[] { "exceptions.csv", "results.csv", "followups.csv", "rejected-lines.csv" })
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/sessions/{id}/{file}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/sessions/{id}/process", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/sessions/{id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/sessions", new { org = "SYS1", description = "x" })).StatusCode);
        using (var form = new MultipartFormDataContent { { new StringContent("BR1-CIRC-01"), "workstation" }, { new ByteArrayContent("{}"u8.ToArray()), "file", "x.jsonl" } })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/sessions/{id}/files", form)).StatusCode);
        }

        using var client = await app.LoginAsync(ReportsApp.AuditorSys1);
        foreach (var page in new[] { $"/Sessions/Details/{id}", $"/Sessions/Exceptions/{id}", $"/Sessions/FollowUps/{id}", $"/Sessions/Transaction/{failedTx}", "/Reports/Audit", "/Reports/Overview" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync(page)).StatusCode);
        }
        var exceptions = await client.Http.GetStringAsync($"/Sessions/Exceptions/{id}");
        Assert.DoesNotContain("handler=Resolve", exceptions);
        Assert.DoesNotContain("Retry failed", exceptions);
        // The auditor's pages have none of these forms: each is taken from an administrator's page, as rendered, and
        // sent with the auditor's sign-in (the new-session form has no action of its own: it posts to its page).
        var formPage = $"/Sessions/Exceptions/{id}";
        using var admin = await app.LoginAsync(ReportsApp.AdminSys1);
        var details = await admin.Http.GetStringAsync($"/Sessions/Details/{id}");
        var adminExceptions = await admin.Http.GetStringAsync(formPage);
        var posts = new (string Url, Dictionary<string, string> Fields)[]
        {
            (PageForms.Action(details, "Process"), new()),
            (PageForms.Action(details, "Retry"), new()),
            (PageForms.Action(adminExceptions, "Edit"), new() { ["tx"] = failedTx.ToString(), ["patronBarcode"] = "X" }),
            (PageForms.Action(adminExceptions, "Force"), new() { ["tx"] = skippedTx.ToString() }),
            (PageForms.Action(adminExceptions, "Resolve"), new() { ["tx"] = failedTx.ToString(), ["note"] = "n" }),
            (PageForms.Action(details, "Upload"), new() { ["workstation"] = "BR1-CIRC-01" }),
            (PageForms.Action(details, "Close"), new()),
            ("/Sessions", new() { ["Input.Org"] = "SYS1", ["Input.Description"] = "x" }),
        };
        foreach (var (url, fields) in posts)
        {
            await AssertForbiddenAsync(client, await client.PostFormAsync(url, fields, formPage), url);
        }

        await using var check = app.Db();
        Assert.Equal(0, await check.SessionRuns.CountAsync(r => r.SessionId == id));
        Assert.False((await check.Results.SingleAsync(r => r.TransactionId == failedTx && r.IsCurrent)).Resolved);
        Assert.False((await check.Transactions.SingleAsync(t => t.Id == skippedTx)).Forced);
        Assert.Equal(0, await check.AuditEntries.CountAsync(a => a.SessionId == id));
        Assert.Equal(SessionState.Processed, (await check.Sessions.SingleAsync(s => s.Id == id)).State);
    }

    private static async Task AssertForbiddenAsync(PortalClient client, HttpResponseMessage response, string url)
    {
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.True(response.Headers.Location!.OriginalString.Contains("/Account/AccessDenied", StringComparison.Ordinal), url);
            response = await client.Http.GetAsync(response.Headers.Location);
        }
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url}: {response.StatusCode}");
    }

    [Fact]
    public async Task Process_starts_a_run_and_a_second_request_says_already_processing()
    {
        long id;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            seed.Session.State = SessionState.Open;
            seed.Session.RunCount = 0;
            // An unfinished run held elsewhere: the session is busy.
            db.SessionRuns.Add(new SessionRun { SessionId = seed.Id, Run = 1, Kind = "process", StartedBy = "elsewhere", StartedAt = DateTimeOffset.UtcNow });
            seed.Session.RunCount = 1;
            seed.Session.State = SessionState.Processing;
            await db.SaveChangesAsync();
            id = seed.Id;
        }
        using var client = await app.LoginAsync(ReportsApp.AdminSys1);
        var details = $"/Sessions/Details/{id}";
        var first = await client.Http.GetStringAsync(details);
        Assert.Contains("session-progress.js", first);
        Assert.Contains("data-state=\"Processing\"", first);
        var response = await client.PostFormAsync(PageForms.Action(first, "Process"), new(), details);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await client.Http.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("This session is already processing.", after);
    }

    [GeneratedRegex("<section class=\"worklist-branch\" aria-label=\"([^\"]+)\">")]
    private static partial Regex SectionPattern();
}
